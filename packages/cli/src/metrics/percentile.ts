/**
 * The p-th percentile (0..100) of the samples by the nearest-rank method: the smallest sample
 * such that at least p% of the samples are less than or equal to it. Always a measured value,
 * never an interpolation between two.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export type LatencySummary = { p50Ms: number; p99Ms: number; meanMs: number; n: number };

export function summarizeLatency(samplesMs: readonly number[]): LatencySummary {
  const total = samplesMs.reduce((sum, value) => sum + value, 0);
  return {
    p50Ms: percentile(samplesMs, 50),
    p99Ms: percentile(samplesMs, 99),
    meanMs: total / samplesMs.length,
    n: samplesMs.length,
  };
}
