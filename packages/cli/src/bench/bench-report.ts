import { formatMs, formatRatio, formatTable } from '../output';
import type { ContextualBenchResult } from './contextual-bench';
import type { EmbeddingLatencyResult } from './embedding-latency';
import type { GptCacheSharedResult } from './gptcache-shared-bench';
import type { LatencyBenchResult } from './latency-bench';
import type { OnlineVerifyResult } from './online-verify-bench';
import type { PairsBenchResult } from './pairs-bench';
import type { TargetCheck } from './targets';

export function pairsTable(results: readonly PairsBenchResult[]): string {
  return formatTable(results, [
    { header: 'pairs file', value: (row) => row.file ?? '-' },
    { header: 'n', value: (row) => row.n },
    { header: 'should hit', value: (row) => row.positives },
    { header: 'hits', value: (row) => row.default.hits },
    { header: 'wrong hits', value: (row) => row.default.wrongHits },
    { header: 'precision', value: (row) => formatRatio(row.default.precision), align: 'right' },
    { header: 'recall', value: (row) => formatRatio(row.default.recall), align: 'right' },
  ]);
}

export function onlineTable(result: OnlineVerifyResult): string {
  return formatTable(
    [result],
    [
      { header: 'n', value: (row) => row.n },
      { header: 'target error', value: (row) => formatRatio(row.targetErrorRate), align: 'right' },
      { header: 'realised error', value: (row) => formatRatio(row.realisedErrorRate), align: 'right' },
      { header: 'hits', value: (row) => row.hits },
      { header: 'wrong hits', value: (row) => row.wrongHits },
      { header: 'hit rate', value: (row) => formatRatio(row.hitRate), align: 'right' },
      { header: 'recall', value: (row) => formatRatio(row.recall), align: 'right' },
      { header: 'verification calls', value: (row) => row.verificationCalls },
      {
        header: 'threshold',
        value: (row) => (row.finalThreshold === undefined ? '-' : row.finalThreshold.toFixed(3)),
      },
    ],
  );
}

export function sweepTable(result: PairsBenchResult): string {
  return formatTable(result.sweep, [
    { header: 'threshold', value: (row) => row.threshold.toFixed(2), align: 'right' },
    { header: 'precision', value: (row) => formatRatio(row.precision), align: 'right' },
    { header: 'recall', value: (row) => formatRatio(row.recall), align: 'right' },
    { header: 'hits', value: (row) => row.hits },
    { header: 'wrong', value: (row) => row.wrongHits },
    {
      header: 'cosine-only precision',
      value: (row) => formatRatio(row.cosineOnly.precision),
      align: 'right',
    },
    { header: 'cosine-only recall', value: (row) => formatRatio(row.cosineOnly.recall), align: 'right' },
    { header: 'cosine-only wrong', value: (row) => row.cosineOnly.wrongHits },
  ]);
}

export function contextualTable(results: readonly ContextualBenchResult[]): string {
  return formatTable(results, [
    { header: 'conversations file', value: (row) => row.file ?? '-' },
    { header: 'conversations', value: (row) => row.conversations },
    { header: 'wrong-context asks', value: (row) => row.wrongContext.n },
    { header: 'wrong-context hits', value: (row) => row.wrongContextHits },
    { header: 'paraphrased follow-ups', value: (row) => row.paraphrasedFollowUps?.n ?? '-', align: 'right' },
    {
      header: 'right follow-up hits',
      value: (row) => (row.paraphrasedFollowUps ? row.rightHits : '-'),
      align: 'right',
    },
    { header: 'paraphrased mains', value: (row) => row.paraphrasedMainQueries?.n ?? '-', align: 'right' },
    {
      header: 'right main hits',
      value: (row) => row.paraphrasedMainQueries?.rightHits ?? '-',
      align: 'right',
    },
    {
      header: 'other-answer hits',
      value: (row) => (row.paraphrasedMainQueries ? row.otherAnswerHits : '-'),
      align: 'right',
    },
  ]);
}

export function latencyTables(latency: LatencyBenchResult): string {
  const parts: string[] = [];
  const exact = latency.exact;
  const embedding = latency.embedding;
  const rows = [
    ...(exact
      ? [
          { what: 'exact hit, TokenomicsCache (memory) .lookup', summary: exact.lookup.tokenomicsMemory },
          { what: 'exact hit, TokenomicsCache (SQLite) .lookup', summary: exact.lookup.tokenomicsSqlite },
          { what: 'exact hit, LangChain InMemoryCache .lookup', summary: exact.lookup.langchainInMemory },
          { what: 'invoke() served by TokenomicsCache (memory)', summary: exact.endToEnd.tokenomicsMemory },
          { what: 'invoke() served by LangChain InMemoryCache', summary: exact.endToEnd.langchainInMemory },
        ]
      : []),
    ...(embedding ? embeddingRows(embedding) : []),
    ...(latency.embeddingOnTfjs ? embeddingRows(latency.embeddingOnTfjs) : []),
    ...(latency.semanticCache
      ? [
          {
            what: `semantic lookup, SemanticCache ${latency.semanticCache.entries.toLocaleString('en-US')} entries, without embedding (hit rate ${formatRatio(latency.semanticCache.hitRate)})`,
            summary: { ...latency.semanticCache, n: latency.semanticCache.queries },
          },
        ]
      : []),
  ];
  if (rows.length > 0) {
    parts.push(
      formatTable(rows, [
        { header: 'measurement', value: (row) => row.what },
        { header: 'p50 ms', value: (row) => formatMs(row.summary.p50Ms), align: 'right' },
        { header: 'p99 ms', value: (row) => formatMs(row.summary.p99Ms), align: 'right' },
        { header: 'mean ms', value: (row) => formatMs(row.summary.meanMs), align: 'right' },
        { header: 'samples', value: (row) => row.summary.n },
      ]),
    );
  }
  if (latency.semantic.length > 0) {
    const table = formatTable(latency.semantic, [
      { header: 'entries', value: (row) => row.entries.toLocaleString('en-US'), align: 'right' },
      { header: 'p50 ms', value: (row) => formatMs(row.p50Ms), align: 'right' },
      { header: 'p99 ms', value: (row) => formatMs(row.p99Ms), align: 'right' },
      { header: 'recall@1', value: (row) => formatRatio(row.recallAt1), align: 'right' },
      { header: 'RSS MB', value: (row) => row.rssMb },
      { header: 'build s', value: (row) => row.buildSeconds },
    ]);
    parts.push(`Semantic lookup without embedding (${latency.semantic[0]!.index}):\n${table}`);
  }
  return parts.join('\n\n');
}

export function targetsTable(checks: readonly TargetCheck[]): string {
  return formatTable(checks, [
    { header: 'target', value: (row) => row.target },
    { header: 'measured', value: (row) => row.measured },
    { header: 'status', value: (row) => row.status },
  ]);
}

export function kindTable(result: PairsBenchResult): string | undefined {
  if (!result.byKind) return undefined;
  const rows = Object.entries(result.byKind).map(([kind, counts]) => ({ kind, ...counts }));
  return formatTable(rows, [
    { header: 'kind', value: (row) => row.kind },
    { header: 'pairs', value: (row) => row.n },
    { header: 'hits', value: (row) => row.hits },
    { header: 'wrong hits', value: (row) => row.wrongHits },
  ]);
}

export function gptCacheSharedTable(result: GptCacheSharedResult): string {
  return formatTable(result.points, [
    { header: 'threshold', value: (row) => row.threshold.toFixed(2), align: 'right' },
    { header: 'right hits', value: (row) => row.rightHits },
    { header: 'wrong hits', value: (row) => row.wrongHits },
    { header: 'misses', value: (row) => row.misses },
    { header: 'records', value: (row) => row.n },
  ]);
}

/** The single-query and the concurrent rows of one embedder's measurement. */
function embeddingRows(embedding: EmbeddingLatencyResult) {
  const runtime = embedding.runtime ? ` on ${embedding.runtime}` : '';
  return [
    {
      what: `embed one query (${embedding.embedder}${runtime}), CPU p50 ${formatMs(embedding.cpuP50Ms)} ms`,
      summary: {
        p50Ms: embedding.p50Ms,
        p99Ms: embedding.p99Ms,
        meanMs: embedding.msPerQuery,
        n: embedding.queries,
      },
    },
    ...(embedding.concurrent
      ? [
          {
            what: `embed ${embedding.concurrent.requests} queries requested together${runtime} (all answered)`,
            summary: {
              p50Ms: embedding.concurrent.p50Ms,
              p99Ms: embedding.concurrent.p99Ms,
              meanMs: embedding.concurrent.msPerQuery * embedding.concurrent.requests,
              n: embedding.concurrent.rounds,
            },
          },
        ]
      : []),
  ];
}
