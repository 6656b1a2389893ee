import type { ContextualBenchResult } from './contextual-bench';
import type { LatencyBenchResult } from './latency-bench';
import type { PairsBenchResult } from './pairs-bench';

export type TargetCheck = { target: string; measured: string; status: 'PASS' | 'MISS' | 'NOT RUN' };

const MIN_PRECISION = 0.95;
const MIN_RECALL = 0.3;
const MAX_EXACT_RATIO = 1.5;
const SEMANTIC_TARGET_ENTRIES = 1_000_000;
const MAX_SEMANTIC_P50_MS = 2;
const MAX_SEMANTIC_RSS_MB = 2.5 * 1024;

/** The targets, each judged on what this run measured; a part not run says so. */
export function checkTargets(results: {
  pairs?: PairsBenchResult[];
  contextual?: ContextualBenchResult[];
  latency?: LatencyBenchResult;
}): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (!results.pairs?.length) {
    checks.push({
      target: `precision ≥ ${MIN_PRECISION} with recall ≥ ${MIN_RECALL} on hard pairs`,
      measured: '-',
      status: 'NOT RUN',
    });
  }
  for (const pairs of results.pairs ?? []) {
    const { precision, recall } = pairs.default;
    checks.push({
      target: `precision ≥ ${MIN_PRECISION} with recall ≥ ${MIN_RECALL} (${pairs.file ?? 'pairs'})`,
      measured: `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
      status: precision >= MIN_PRECISION && recall >= MIN_RECALL ? 'PASS' : 'MISS',
    });
  }
  if (!results.contextual?.length)
    checks.push({ target: '0 wrong-context hits', measured: '-', status: 'NOT RUN' });
  for (const contextual of results.contextual ?? []) {
    checks.push({
      target: `0 wrong-context hits (${contextual.file ?? 'conversations'})`,
      measured: `${contextual.wrongContextHits} of ${contextual.wrongContext.n}`,
      status: contextual.wrongContextHits === 0 ? 'PASS' : 'MISS',
    });
  }
  const latency = results.latency;
  if (!latency) {
    checks.push({
      target: `exact hit ≤ ${MAX_EXACT_RATIO}× LangChain InMemoryCache`,
      measured: '-',
      status: 'NOT RUN',
    });
    checks.push({
      target: `semantic p50 ≤ ${MAX_SEMANTIC_P50_MS} ms and RSS ≤ 2.5 GB at 1M entries`,
      measured: '-',
      status: 'NOT RUN',
    });
    return checks;
  }
  if (latency.exactHitP50Ms === undefined || latency.langchainInMemoryP50Ms === undefined) {
    checks.push({
      target: `exact hit ≤ ${MAX_EXACT_RATIO}× LangChain InMemoryCache`,
      measured: '-',
      status: 'NOT RUN',
    });
  } else {
    const ratio = latency.exactHitP50Ms / latency.langchainInMemoryP50Ms;
    checks.push({
      target: `exact hit p50 ≤ ${MAX_EXACT_RATIO}× LangChain InMemoryCache (same lookup calls)`,
      measured: `${latency.exactHitP50Ms.toFixed(4)} ms vs ${latency.langchainInMemoryP50Ms.toFixed(4)} ms = ${ratio.toFixed(2)}×`,
      status: ratio <= MAX_EXACT_RATIO ? 'PASS' : 'MISS',
    });
  }
  const atTarget = latency.semantic.find((row) => row.entries >= SEMANTIC_TARGET_ENTRIES);
  checks.push(
    atTarget
      ? {
          target: `semantic p50 ≤ ${MAX_SEMANTIC_P50_MS} ms and RSS ≤ 2.5 GB at ${atTarget.entries.toLocaleString('en-US')} entries`,
          measured: `p50 ${atTarget.p50Ms.toFixed(3)} ms, RSS ${atTarget.rssMb} MB, recall@1 ${atTarget.recallAt1.toFixed(3)}`,
          status:
            atTarget.p50Ms <= MAX_SEMANTIC_P50_MS && atTarget.rssMb <= MAX_SEMANTIC_RSS_MB ? 'PASS' : 'MISS',
        }
      : {
          target: `semantic p50 ≤ ${MAX_SEMANTIC_P50_MS} ms and RSS ≤ 2.5 GB at 1M entries`,
          measured: 'size not in --sizes',
          status: 'NOT RUN',
        },
  );
  return checks;
}
