import {
  type CacheEntryRecord,
  type CacheEntryStore,
  MemoryCacheStore,
  MemoryVectorIndex,
  type VectorIndex,
} from '@tokenomics/core';
import { summarizeLatency } from '../metrics/percentile';
import { nearbyUnitVector, randomUnitVector } from './random-vectors';

/** A store under test, opened fresh (empty namespace) for each size; `clients` connections. */
export type StoreUnderTest = {
  name: string;
  open(namespace: string, clients: number): Promise<OpenedStores>;
};

export type OpenedStores = {
  /** One entry store per concurrent client, all on the same data. */
  stores: CacheEntryStore[];
  /** Server connections the clients share (PGlite: 1). */
  connections: number;
  vectorIndex?: VectorIndex;
  /**
   * Runs after the vectors are written, before the searches: what a server does on its own
   * with time (PostgreSQL's autovacuum gathers the statistics its planner needs).
   */
  settle?(): Promise<void>;
  close(): Promise<void>;
};

export type StoreThroughputRow = {
  store: string;
  entries: number;
  clients: number;
  /** 'processes': each client a process of its own; 'in-process': concurrent callers in one. */
  clientKind: 'in-process' | 'processes';
  connections: number;
  writesPerSecond: number;
  writeP50Ms: number;
  writeP99Ms: number;
  lookupsPerSecond: number;
  lookupP50Ms: number;
  lookupP99Ms: number;
};

export type SemanticSearchRow = {
  store: string;
  entries: number;
  dimensions: number;
  queries: number;
  searchP50Ms: number;
  searchP99Ms: number;
  /** Share of the exact top 10 (same partition) that the store's top 10 holds. */
  recallAt10: number;
};

/**
 * Exact-entry throughput: fills `entries` entries through all clients at once, then runs
 * `lookups` reads of random stored keys spread over the clients, concurrently. Each operation's
 * latency is measured on its own; throughput is operations over wall time.
 */
export async function measureStoreThroughput(
  target: StoreUnderTest,
  entries: number,
  clients: number,
  lookups: number,
): Promise<StoreThroughputRow> {
  const opened = await target.open(`bench-${Date.now()}-${entries}-${clients}`, clients);
  try {
    const write = await concurrently(opened.stores, entries, (store, index) => store.set(entryRecord(index)));
    const read = await concurrently(opened.stores, lookups, async (store, index) => {
      const key = entryKey((index * 7919) % entries);
      if (!(await store.get(key))) throw new Error(`${target.name} lost entry ${key}`);
    });
    const writes = summarizeLatency(write.samples);
    const reads = summarizeLatency(read.samples);
    await removeAll(opened, entries);
    return {
      store: target.name,
      entries,
      clients,
      clientKind: 'in-process',
      connections: opened.connections,
      writesPerSecond: entries / (write.wallMs / 1000),
      writeP50Ms: writes.p50Ms,
      writeP99Ms: writes.p99Ms,
      lookupsPerSecond: lookups / (read.wallMs / 1000),
      lookupP50Ms: reads.p50Ms,
      lookupP99Ms: reads.p99Ms,
    };
  } finally {
    await opened.close();
  }
}

/**
 * Semantic search latency and recall@10 against exact search, on clustered vectors: `entries`
 * vectors around entries/20 random centres (members at cosine 0.6–0.95 to their centre, like
 * paraphrases of a few topics), in 4 partitions; queries are new members of stored clusters.
 */
export async function measureSemanticSearch(
  target: StoreUnderTest,
  entries: number,
  dimensions: number,
  queries: number,
): Promise<SemanticSearchRow> {
  const opened = await target.open(`bench-vectors-${Date.now()}-${entries}`, 1);
  const index = opened.vectorIndex;
  if (!index) throw new Error(`${target.name} has no vector index`);
  try {
    const exact = new MemoryVectorIndex();
    const clusters = Math.max(1, Math.floor(entries / 20));
    for (let item = 0; item < entries; item++) {
      const vector = clusteredVector(item % clusters, item, dimensions);
      const partition = `p${item % 4}`;
      await index.add(partition, entryKey(item), vector);
      await exact.add(partition, entryKey(item), vector);
    }
    await opened.settle?.();
    const samples: number[] = [];
    let found = 0;
    let expected = 0;
    for (let query = 0; query < queries; query++) {
      const vector = clusteredVector(query % clusters, entries + query, dimensions);
      const partition = `p${query % 4}`;
      const started = performance.now();
      const matches = await index.search(partition, vector, 10);
      samples.push(performance.now() - started);
      const truth = new Set((await exact.search(partition, vector, 10)).map((match) => match.key));
      expected += truth.size;
      found += matches.filter((match) => truth.has(match.key)).length;
    }
    await removeAll(opened, entries);
    const latency = summarizeLatency(samples);
    return {
      store: target.name,
      entries,
      dimensions,
      queries,
      searchP50Ms: latency.p50Ms,
      searchP99Ms: latency.p99Ms,
      recallAt10: expected === 0 ? 0 : found / expected,
    };
  } finally {
    await opened.close();
  }
}

/** The in-process reference: the memory store (one store; clients share it). */
export const memoryStore: StoreUnderTest = {
  name: 'memory',
  async open(_namespace, clients) {
    const store = new MemoryCacheStore({ maxEntries: Number.MAX_SAFE_INTEGER });
    return {
      stores: Array.from({ length: clients }, () => store),
      connections: 0,
      vectorIndex: new MemoryVectorIndex(),
      close: async () => {},
    };
  },
};

/** Leaves a shared server as it was found. */
export async function removeAll(opened: OpenedStores, entries: number): Promise<void> {
  const store = opened.stores[0] as CacheEntryStore;
  for (let start = 0; start < entries; start += 1_000) {
    const keys = Array.from({ length: Math.min(1_000, entries - start) }, (_, offset) =>
      entryKey(start + offset),
    );
    await store.delete(keys);
    await opened.vectorIndex?.delete(keys);
  }
}

async function concurrently(
  stores: CacheEntryStore[],
  operations: number,
  run: (store: CacheEntryStore, index: number) => Promise<unknown>,
): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    stores.map(async (store) => {
      for (let index = next++; index < operations; index = next++) {
        const begun = performance.now();
        await run(store, index);
        samples.push(performance.now() - begun);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

const PAYLOAD = JSON.stringify({ response: { content: [{ type: 'text', text: 'x'.repeat(400) }] } });

export function entryRecord(index: number): CacheEntryRecord {
  return {
    key: entryKey(index),
    partition: `p${index % 4}`,
    scopeKey: `tenant-${index % 10}`,
    payload: PAYLOAD,
    tags: [`tag-${index % 50}`],
    createdAt: Date.now(),
    size: PAYLOAD.length,
  };
}

export function entryKey(index: number): string {
  return `bench-entry-${index}`;
}

function clusteredVector(cluster: number, item: number, dimensions: number): Float32Array {
  const centre = randomUnitVector(dimensions, 17, cluster);
  const similarity = 0.6 + (0.35 * ((item * 2654435761) % 1000)) / 1000;
  return nearbyUnitVector(centre, similarity, 23, item);
}
