/** Runs `operation` `warmup` times unmeasured, then `runs` times, returning each run's milliseconds. */
export async function measureMs(
  operation: (run: number) => unknown,
  options: { runs: number; warmup?: number; onRun?: () => void },
): Promise<number[]> {
  for (let run = 0; run < (options.warmup ?? 0); run++) await operation(run);
  const samples: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const startedAt = performance.now();
    await operation(run);
    samples.push(performance.now() - startedAt);
    options.onRun?.();
  }
  return samples;
}

export function rssMegabytes(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}
