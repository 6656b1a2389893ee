import { readFileSync } from 'node:fs';
import { migratePostgres, openPostgresCache, type PostgresCache } from '@tokenomics/store-postgres';
import { summarizeLatency } from '../../metrics';
import { createProgressBar } from '../../output';
import { ExactTopK } from './exact-top-k';
import { entryVector, type QqpVectorSet } from './qqp-vectors';

const K = 10;
const CHUNK = 1_000;
const WARM_UP_SEARCHES = 20;
/** Tables of the run's own (dropped before and after it), so rebuilding their index touches nothing else. */
const TABLE_PREFIX = 'tokenomics_bench_scale';
const NAMESPACE = 'bench-scale';
/** Store calls may take this long here: the run measures speed, not the fail-open bound. */
const BENCH_TIMEOUT_MS = 600_000;

export type PostgresScaleOptions = {
  vectors: QqpVectorSet;
  entries: number;
  similarity: number;
  seed: number;
  url: string;
  /** Scopes (partitions) the entries are spread over; each query is searched in one of them. */
  partitions: number;
  /** Vectors written first with the HNSW index in place, to time `addMany` on an indexed table. */
  indexedWrites: number;
  /** `maintenance_work_mem` for building the index (pgvector builds in memory up to it). */
  buildMemory: string;
  passes: number;
  /** The server's process, to read its resident memory (Linux /proc). */
  serverPid?: number;
  onProgress?: (message: string) => void;
};

export type PostgresScaleResult = {
  entries: number;
  bases: number;
  queries: number;
  partitions: number;
  similarity: number;
  /** `addMany` of the first vectors, with the HNSW index in place. */
  indexedWrites: { vectors: number; seconds: number; perSecond: number };
  /** `addMany` of the rest into the table without its index. */
  load: { vectors: number; seconds: number; perSecond: number };
  /** The store's migration creating the HNSW index over every vector. */
  indexBuildSeconds: number;
  buildMemory: string;
  searches: number;
  searchP50Ms: number;
  searchP99Ms: number;
  searchMeanMs: number;
  recallAt10: number;
  found: number;
  expected: number;
  /** `EXPLAIN` of a search: which index (or scan) the server chose. */
  plan: string;
  usesHnswIndex: boolean;
  exactSeconds: number;
  /** Resident memory of the server process after the searches, and its peak; absent when not readable. */
  serverRssMb?: number;
  serverPeakRssMb?: number;
  index: string;
};

/**
 * Semantic search on PostgreSQL/pgvector through the store at scale: QQP question vectors and
 * perturbed copies spread over `partitions` scopes, written with `addMany` (the first
 * `indexedWrites` with the HNSW index in place, the rest before the store's migration builds
 * it again), then each held-out question searched in its scope `passes` times with the store's
 * own filtered search; recall@10 against the exact top 10 of that scope, computed here.
 */
export async function runPostgresScale(options: PostgresScaleOptions): Promise<PostgresScaleResult> {
  const dimensions = options.vectors.dimensions;
  const postgres = await openPostgresCache({
    connectionString: options.url,
    maxConnections: 1,
    timeoutMs: BENCH_TIMEOUT_MS,
    namespace: NAMESPACE,
    tablePrefix: TABLE_PREFIX,
    dimensions,
  });
  try {
    await dropTables(postgres, dimensions);
    await migratePostgres(postgres.pool, { dimensions, tablePrefix: TABLE_PREFIX });
    const exact = queriesByPartition(options);
    const written = await writeVectors(postgres, options, exact);
    options.onProgress?.('building the HNSW index…');
    const built = performance.now();
    await postgres.pool.query(`SET maintenance_work_mem = '${options.buildMemory.replace(/'/g, '')}'`);
    await migratePostgres(postgres.pool, { dimensions, tablePrefix: TABLE_PREFIX });
    const indexBuildSeconds = (performance.now() - built) / 1000;
    await postgres.pool.query('RESET maintenance_work_mem');
    // What autovacuum does on a server of its own (PGlite has none): the planner's statistics.
    await postgres.pool.query(`ANALYZE ${TABLE_PREFIX}_vectors_${dimensions}`);
    const searched = await timeSearches(postgres, options);
    const recall = { found: 0, expected: 0 };
    for (const part of exact) {
      const counts = part.topK.recall(part.queries.map((query) => searched.keys[query] ?? []));
      recall.found += counts.found;
      recall.expected += counts.expected;
    }
    const memory = options.serverPid === undefined ? undefined : processMemory(options.serverPid);
    return {
      entries: options.entries,
      bases: options.vectors.bases.length,
      queries: options.vectors.queries.length,
      partitions: options.partitions,
      similarity: options.similarity,
      indexedWrites: written.indexed,
      load: written.load,
      indexBuildSeconds: round(indexBuildSeconds),
      buildMemory: options.buildMemory,
      searches: searched.samples.length,
      ...latency(searched.samples),
      recallAt10: recall.expected === 0 ? 0 : recall.found / recall.expected,
      ...recall,
      plan: searched.plan,
      usesHnswIndex: searched.plan.includes(`${TABLE_PREFIX}_vectors_${dimensions}_hnsw`),
      exactSeconds: round(written.exactMs / 1000),
      serverRssMb: memory?.rssMb,
      serverPeakRssMb: memory?.peakRssMb,
      index:
        'pgvector HNSW (vector_cosine_ops, m=16, ef_construction=64: the defaults), searched with hnsw.ef_search=100 and iterative_scan=strict_order (set by the store)',
    };
  } finally {
    await dropTables(postgres, dimensions).catch(() => undefined);
    await postgres.close();
  }
}

type PartitionQueries = { queries: number[]; topK: ExactTopK };

/** Query q is searched in scope q mod partitions; each scope's exact top 10 is kept apart. */
function queriesByPartition(options: PostgresScaleOptions): PartitionQueries[] {
  return Array.from({ length: options.partitions }, (_, partition) => {
    const queries = options.vectors.queries
      .map((_, query) => query)
      .filter((query) => query % options.partitions === partition);
    return {
      queries,
      topK: new ExactTopK(
        queries.map((query) => options.vectors.queries[query] as Float32Array),
        K,
      ),
    };
  });
}

function scope(index: number, partitions: number): string {
  return `scope-${index % partitions}`;
}

async function writeVectors(
  postgres: PostgresCache,
  options: PostgresScaleOptions,
  exact: PartitionQueries[],
) {
  const index = postgres.vectorIndex as NonNullable<PostgresCache['vectorIndex']>;
  const indexedVectors = Math.min(options.indexedWrites, options.entries);
  const progress = createProgressBar(
    `write ${options.entries.toLocaleString('en-US')} vectors`,
    options.entries,
  );
  let exactMs = 0;
  let indexedMs = 0;
  let loadMs = 0;
  try {
    for (let start = 0; start < options.entries; ) {
      const end = Math.min(
        options.entries,
        start + CHUNK,
        start < indexedVectors ? indexedVectors : Infinity,
      );
      if (start === indexedVectors)
        await postgres.pool.query(`DROP INDEX ${TABLE_PREFIX}_vectors_${options.vectors.dimensions}_hnsw`);
      const byScope = new Map<number, Array<{ key: string; vector: Float32Array }>>();
      for (let item = start; item < end; item++) {
        const partition = item % options.partitions;
        const vector = entryVector(options.vectors, item, options.similarity, options.seed);
        const items = byScope.get(partition) ?? [];
        items.push({ key: `v${item}`, vector });
        byScope.set(partition, items);
      }
      const began = performance.now();
      for (const [partition, items] of byScope)
        await index.addMany(scope(partition, options.partitions), items);
      if (start < indexedVectors) indexedMs += performance.now() - began;
      else loadMs += performance.now() - began;
      const scored = performance.now();
      for (const [partition, items] of byScope)
        for (const item of items) exact[partition]?.topK.offer(item.vector, Number(item.key.slice(1)));
      exactMs += performance.now() - scored;
      progress.tick(end - start);
      start = end;
    }
  } finally {
    progress.done();
  }
  const rate = (vectors: number, ms: number) => ({
    vectors,
    seconds: round(ms / 1000),
    perSecond: ms > 0 ? Math.round((vectors * 1000) / ms) : 0,
  });
  return {
    indexed: rate(indexedVectors, indexedMs),
    load: rate(options.entries - indexedVectors, loadMs),
    exactMs,
  };
}

async function timeSearches(postgres: PostgresCache, options: PostgresScaleOptions) {
  const index = postgres.vectorIndex as NonNullable<PostgresCache['vectorIndex']>;
  const queries = options.vectors.queries;
  const scopeOf = (query: number) => scope(query, options.partitions);
  // The query vector's 512 numbers say nothing about the plan.
  const plan = (await index.explainSearch(scopeOf(0), queries[0] as Float32Array, K)).replace(
    /'\[[^'\]]*\]'::vector/g,
    "'[query]'::vector",
  );
  for (let query = 0; query < Math.min(WARM_UP_SEARCHES, queries.length); query++)
    await index.search(scopeOf(query), queries[query] as Float32Array, K);
  const samples: number[] = [];
  const keys: string[][] = [];
  for (let pass = 0; pass < options.passes; pass++) {
    for (const [query, vector] of queries.entries()) {
      const began = performance.now();
      const matches = await index.search(scopeOf(query), vector, K);
      samples.push(performance.now() - began);
      keys[query] = matches.map((match) => match.key);
    }
  }
  return { samples, keys, plan };
}

async function dropTables(postgres: PostgresCache, dimensions: number): Promise<void> {
  await postgres.pool.query(
    `DROP TABLE IF EXISTS ${TABLE_PREFIX}_vectors_${dimensions}, ${TABLE_PREFIX}_entries, ${TABLE_PREFIX}_bandit_state`,
  );
}

/** VmRSS and VmHWM of a process, from /proc (Linux); undefined where unreadable. */
function processMemory(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const rss = kilobytes('VmRSS');
    const peak = kilobytes('VmHWM');
    if (!Number.isFinite(rss) || !Number.isFinite(peak)) return undefined;
    return { rssMb: Math.round(rss / 1024), peakRssMb: Math.round(peak / 1024) };
  } catch {
    return undefined;
  }
}

function latency(samples: number[]) {
  const summary = summarizeLatency(samples);
  return { searchP50Ms: summary.p50Ms, searchP99Ms: summary.p99Ms, searchMeanMs: summary.meanMs };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
