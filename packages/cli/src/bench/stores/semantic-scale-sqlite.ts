import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HNSW_OPTIONS, openSqliteCache } from '@tokenomics/core';
import { createProgressBar } from '../../output';
import { isCliBin, runCliForJson } from '../cli-child';
import { ExactTopK } from './exact-top-k';
import { entryVector, type QqpVectorSet } from './qqp-vectors';
import { runSearchClient, type SearchClientResult } from './search-client';

export const SCALE_PARTITION = 'qqp-scale';
const CHUNK = 10_000;
const K = 10;

export type SqliteScaleOptions = {
  vectors: QqpVectorSet;
  entries: number;
  /** Cosine of a perturbed copy to its base question. */
  similarity: number;
  seed: number;
  directory: string;
  /** Timed passes over the queries. */
  passes: number;
  /** Search beam width (HNSW ef); default: the store's. */
  expansionSearch?: number;
  /**
   * Reuse `scale.sqlite` left in `directory` by an earlier run with the same entries, similarity,
   * queries and seed: its rows are not written again (the vectors are regenerated, only to
   * compute the exact top 10), and a graph that run saved is searched as it is.
   */
  reuse?: boolean;
};

export type SqliteScaleResult = Omit<SearchClientResult, 'keys'> & {
  entries: number;
  bases: number;
  queries: number;
  similarity: number;
  recallAt10: number;
  writeSeconds: number;
  exactSeconds: number;
  index: string;
  /** 'process': the search side ran in a process of its own, so its RSS is the index's alone. */
  searchedIn: 'process' | 'this process';
  /** The file (and any graph saved with it) came from an earlier run (`--reuse`). */
  reusedFile: boolean;
};

/**
 * The 1M-entry semantic run on the SQLite store: writes `entries` clustered vectors (real
 * question embeddings and perturbed copies) to a SQLite file while computing each held-out
 * query's exact top 10, then opens the file as a new process would — the graph is built by
 * the store's worker at the default settings — and times the searches, recall@10 against exact.
 */
export async function runSqliteScale(options: SqliteScaleOptions): Promise<SqliteScaleResult> {
  const path = join(options.directory, 'scale.sqlite');
  const reusedFile = options.reuse === true && existsSync(path);
  const exact = new ExactTopK(options.vectors.queries, K);
  const { writeMs, exactMs } = reusedFile
    ? await scoreOnly(options, exact)
    : await writeAndScore(options, path, exact);
  const queriesFile = join(options.directory, 'queries.bin');
  writeFileSync(
    queriesFile,
    Buffer.concat(options.vectors.queries.map((query) => Buffer.from(query.buffer))),
  );
  const job: SearchJob = {
    path,
    queriesFile,
    dimensions: options.vectors.dimensions,
    passes: options.passes,
    ...(options.expansionSearch !== undefined ? { expansionSearch: options.expansionSearch } : {}),
  };
  const inProcess = !isCliBin(process.argv[1]);
  const searched = inProcess ? await runSearchClient(job) : await searchInChildProcess(job);
  const { keys, ...measured } = searched;
  const ef = options.expansionSearch ?? DEFAULT_HNSW_OPTIONS.expansionSearch;
  const efNote =
    ef === DEFAULT_HNSW_OPTIONS.expansionSearch ? 'the defaults' : `ef ${ef} set by --expansion-search`;
  return {
    ...measured,
    entries: options.entries,
    bases: options.vectors.bases.length,
    queries: options.vectors.queries.length,
    similarity: options.similarity,
    recallAt10: exact.recall(keys).recall,
    writeSeconds: round(writeMs / 1000),
    exactSeconds: round(exactMs / 1000),
    index: `SqliteVectorIndex (usearch HNSW built in a worker, f16, M=${DEFAULT_HNSW_OPTIONS.connectivity}, efConstruction=${DEFAULT_HNSW_OPTIONS.expansionAdd}, ef=${ef}: ${efNote})`,
    searchedIn: inProcess ? 'this process' : 'process',
    reusedFile,
  };
}

/** Writes the vectors to a new SQLite file, scoring each against the queries as it goes. */
async function writeAndScore(
  options: SqliteScaleOptions,
  path: string,
  exact: ExactTopK,
): Promise<{ writeMs: number; exactMs: number }> {
  const written = performance.now();
  let exactMs = 0;
  const sqlite = await openSqliteCache({ path, vectorIndex: { snapshotIntervalMs: 0 } });
  const progress = createProgressBar(
    `write ${options.entries.toLocaleString('en-US')} vectors`,
    options.entries,
  );
  try {
    for (let start = 0; start < options.entries; start += CHUNK) {
      const items = chunkItems(options, start);
      await sqlite.vectorIndex.addMany(SCALE_PARTITION, items);
      const scored = performance.now();
      for (const [offset, item] of items.entries()) exact.offer(item.vector, start + offset);
      exactMs += performance.now() - scored;
      progress.tick(items.length);
    }
  } finally {
    progress.done();
    await sqlite.close();
  }
  return { writeMs: performance.now() - written - exactMs, exactMs };
}

/** `--reuse`: the rows are already in the file; only the exact top 10 is computed again. */
async function scoreOnly(
  options: SqliteScaleOptions,
  exact: ExactTopK,
): Promise<{ writeMs: number; exactMs: number }> {
  const scored = performance.now();
  const progress = createProgressBar(
    `score ${options.entries.toLocaleString('en-US')} vectors (file reused)`,
    options.entries,
  );
  for (let start = 0; start < options.entries; start += CHUNK) {
    const items = chunkItems(options, start);
    for (const [offset, item] of items.entries()) exact.offer(item.vector, start + offset);
    progress.tick(items.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  progress.done();
  return { writeMs: 0, exactMs: performance.now() - scored };
}

function chunkItems(
  options: SqliteScaleOptions,
  start: number,
): Array<{ key: string; vector: Float32Array }> {
  const items: Array<{ key: string; vector: Float32Array }> = [];
  for (let index = start; index < Math.min(options.entries, start + CHUNK); index++)
    items.push({
      key: `v${index}`,
      vector: entryVector(options.vectors, index, options.similarity, options.seed),
    });
  return items;
}

export type SearchJob = {
  path: string;
  queriesFile: string;
  dimensions: number;
  passes: number;
  expansionSearch?: number;
};

/** The search side in a process of its own (`tokenomics bench stores-search`), so RSS is its alone. */
function searchInChildProcess(job: SearchJob): Promise<SearchClientResult> {
  const args = [
    'bench',
    'stores-search',
    '--path',
    job.path,
    '--queries-file',
    job.queriesFile,
    '--dimensions',
    String(job.dimensions),
    '--passes',
    String(job.passes),
    ...(job.expansionSearch !== undefined ? ['--expansion-search', String(job.expansionSearch)] : []),
  ];
  return runCliForJson<SearchClientResult>(args, 'stores-search');
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
