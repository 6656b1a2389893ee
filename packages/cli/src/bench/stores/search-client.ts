import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openSqliteCache } from '@tokenomics/core';
import { summarizeLatency } from '../../metrics';
import { rssMegabytes } from '../measure';
import { SCALE_PARTITION as PARTITION, type SearchJob } from './semantic-scale-sqlite';

const K = 10;
const PROBE_INTERVAL_MS = 250;

export type SearchClientResult = {
  /** Each query's top 10 keys, in query order. */
  keys: string[][];
  searchP50Ms: number;
  searchP99Ms: number;
  searchMeanMs: number;
  searches: number;
  /** From opening the file (no saved graph) to the graph answering, built by the store's worker. */
  buildSeconds: number;
  /** Searches made every 250 ms while the graph was being built: they answer at once (a miss). */
  duringBuild: { searches: number; p50Ms: number; maxMs: number; answeredEmpty: number };
  /** The event loop's longest stall from opening to the graph answering (reading it in included). */
  eventLoopMaxDelayMs: number;
  eventLoopP99DelayMs: number;
  /** Resident memory after the searches, and its peak over the process's life. */
  rssMb: number;
  peakRssMb: number;
};

/**
 * The search side of the 1M-entry run, as a process that starts on a file with no saved graph:
 * the first search starts the build in a worker; searches keep answering (empty) while it
 * runs; once it is in, every query is searched `passes` times, each timed on its own.
 */
export async function runSearchClient(job: SearchJob): Promise<SearchClientResult> {
  const queries = readQueries(job.queriesFile, job.dimensions);
  const sqlite = await openSqliteCache({
    path: job.path,
    vectorIndex: {
      snapshotIntervalMs: 0,
      ...(job.expansionSearch !== undefined ? { expansionSearch: job.expansionSearch } : {}),
    },
  });
  try {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const openedAt = performance.now();
    const probes: number[] = [];
    let answeredEmpty = 0;
    const probe = async (query: Float32Array) => {
      const startedAt = performance.now();
      const matches = await sqlite.vectorIndex.search(PARTITION, query, K);
      probes.push(performance.now() - startedAt);
      if (matches.length === 0) answeredEmpty++;
    };
    await probe(queries[0] as Float32Array);
    const timer = setInterval(
      () => void probe(queries[probes.length % queries.length] as Float32Array),
      PROBE_INTERVAL_MS,
    );
    await sqlite.vectorIndex.warmUp([PARTITION]);
    clearInterval(timer);
    const buildSeconds = (performance.now() - openedAt) / 1000;
    delay.disable();
    const samples: number[] = [];
    for (const query of queries.slice(0, 50)) await sqlite.vectorIndex.search(PARTITION, query, K);
    for (let pass = 0; pass < job.passes; pass++) {
      for (const query of queries) {
        const startedAt = performance.now();
        await sqlite.vectorIndex.search(PARTITION, query, K);
        samples.push(performance.now() - startedAt);
      }
    }
    const keys: string[][] = [];
    for (const query of queries)
      keys.push((await sqlite.vectorIndex.search(PARTITION, query, K)).map((match) => match.key));
    const latency = summarizeLatency(samples);
    const duringBuild = summarizeLatency(probes);
    return {
      keys,
      searchP50Ms: latency.p50Ms,
      searchP99Ms: latency.p99Ms,
      searchMeanMs: latency.meanMs,
      searches: samples.length,
      buildSeconds: Math.round(buildSeconds * 10) / 10,
      duringBuild: {
        searches: probes.length,
        p50Ms: duringBuild.p50Ms,
        maxMs: Math.max(...probes),
        answeredEmpty,
      },
      eventLoopMaxDelayMs: delay.max / 1e6,
      eventLoopP99DelayMs: delay.percentile(99) / 1e6,
      rssMb: Math.round(rssMegabytes()),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await sqlite.close();
  }
}

function readQueries(file: string, dimensions: number): Float32Array[] {
  const bytes = readFileSync(file);
  const size = dimensions * 4;
  const queries: Float32Array[] = [];
  for (let offset = 0; offset + size <= bytes.length; offset += size) {
    const query = new Float32Array(dimensions);
    new Uint8Array(query.buffer).set(bytes.subarray(offset, offset + size));
    queries.push(query);
  }
  return queries;
}
