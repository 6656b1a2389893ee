import { percentile } from '../../metrics';
import type { TierRole } from './e2e-workload';

export type StageSavings = { cache: number; compression: number; routing: number };

export type RunReport = {
  name: string;
  quality: number;
  cost: number;
  costShare: number;
  cacheHits: number;
  wrongCacheHits: number;
  /** Wall time per request in the stack, outside the model calls (prompt embeddings precomputed). */
  addedLatencyMsP50: number;
  /** The same in process CPU time (all threads), which other load on the machine does not inflate. */
  addedCpuMsP50: number;
  /** Dollars saved by each stage, as a share of always-strong's dollars. */
  savingsByStage: StageSavings;
  savedDollarsByStage: StageSavings;
  strongCalls: number;
  weakCalls: number;
  /** Quality per request source (routing, repeat, paraphrase, long-context). */
  qualityBySource: Record<string, number>;
};

/** What a run adds up while it replays the workload. */
export type Totals = {
  cost: number;
  baselineCost: number;
  cacheHits: number;
  wrongCacheHits: number;
  saved: StageSavings;
  calls: Record<TierRole, number>;
  quality: Map<string, { right: number; n: number }>;
};

export function newTotals(): Totals {
  return {
    cost: 0,
    baselineCost: 0,
    cacheHits: 0,
    wrongCacheHits: 0,
    saved: { cache: 0, compression: 0, routing: 0 },
    calls: { strong: 0, weak: 0 },
    quality: new Map(),
  };
}

export function addQuality(totals: Totals, source: string, correct: number): void {
  const entry = totals.quality.get(source) ?? { right: 0, n: 0 };
  entry.right += correct;
  entry.n++;
  totals.quality.set(source, entry);
}

export function finishReport(
  name: string,
  totals: Totals,
  latencies: { wallMs: number[]; cpuMs: number[] },
): RunReport {
  let right = 0;
  let n = 0;
  const qualityBySource: Record<string, number> = {};
  for (const [source, entry] of [...totals.quality].sort()) {
    right += entry.right;
    n += entry.n;
    qualityBySource[source] = round(entry.right / entry.n);
  }
  const share = (value: number) => (totals.baselineCost > 0 ? round(value / totals.baselineCost) : 0);
  return {
    name,
    quality: round(right / Math.max(1, n)),
    cost: round(totals.cost, 6),
    costShare: share(totals.cost),
    cacheHits: totals.cacheHits,
    wrongCacheHits: totals.wrongCacheHits,
    addedLatencyMsP50: latencies.wallMs.length > 0 ? round(percentile(latencies.wallMs, 50), 2) : 0,
    addedCpuMsP50: latencies.cpuMs.length > 0 ? round(percentile(latencies.cpuMs, 50), 2) : 0,
    savingsByStage: {
      cache: share(totals.saved.cache),
      compression: share(totals.saved.compression),
      routing: share(totals.saved.routing),
    },
    savedDollarsByStage: {
      cache: round(totals.saved.cache, 6),
      compression: round(totals.saved.compression, 6),
      routing: round(totals.saved.routing, 6),
    },
    strongCalls: totals.calls.strong,
    weakCalls: totals.calls.weak,
    qualityBySource,
  };
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  // + 0 turns -0 into 0.
  return Math.round(value * scale) / scale + 0;
}
