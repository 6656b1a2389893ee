import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HNSW_OPTIONS, openSqliteCache } from '@tokenomics/core';
import { createProgressBar } from '../../output';
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
};

/**
 * The 1M-entry semantic run on the SQLite store: writes `entries` clustered vectors (real
 * question embeddings and perturbed copies) to a SQLite file while computing each held-out
 * query's exact top 10, then opens the file as a new process would — the graph is built by
 * the store's worker at the default settings — and times the searches, recall@10 against exact.
 */
export async function runSqliteScale(options: SqliteScaleOptions): Promise<SqliteScaleResult> {
  const path = join(options.directory, 'scale.sqlite');
  const exact = new ExactTopK(options.vectors.queries, K);
  const written = performance.now();
  let exactMs = 0;
  const sqlite = await openSqliteCache({ path, vectorIndex: { snapshotIntervalMs: 0 } });
  const progress = createProgressBar(
    `write ${options.entries.toLocaleString('en-US')} vectors`,
    options.entries,
  );
  try {
    for (let start = 0; start < options.entries; start += CHUNK) {
      const items: Array<{ key: string; vector: Float32Array }> = [];
      for (let index = start; index < Math.min(options.entries, start + CHUNK); index++)
        items.push({
          key: `v${index}`,
          vector: entryVector(options.vectors, index, options.similarity, options.seed),
        });
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
  const writeSeconds = (performance.now() - written - exactMs) / 1000;
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
  };
  const inProcess = !isCliBin(process.argv[1]);
  const searched = inProcess ? await runSearchClient(job) : await searchInChildProcess(job);
  const { keys, ...measured } = searched;
  return {
    ...measured,
    entries: options.entries,
    bases: options.vectors.bases.length,
    queries: options.vectors.queries.length,
    similarity: options.similarity,
    recallAt10: exact.recall(keys).recall,
    writeSeconds: round(writeSeconds),
    exactSeconds: round(exactMs / 1000),
    index: `SqliteVectorIndex (usearch HNSW built in a worker, f16, M=${DEFAULT_HNSW_OPTIONS.connectivity}, efConstruction=${DEFAULT_HNSW_OPTIONS.expansionAdd}, ef=${DEFAULT_HNSW_OPTIONS.expansionSearch}: the defaults)`,
    searchedIn: inProcess ? 'this process' : 'process',
  };
}

export type SearchJob = { path: string; queriesFile: string; dimensions: number; passes: number };

function isCliBin(bin: string | undefined): boolean {
  return bin !== undefined && /bin\.(c|m)?js$/.test(bin);
}

/** The search side in a process of its own (`tokenomics bench stores-search`), so RSS is its alone. */
function searchInChildProcess(job: SearchJob): Promise<SearchClientResult> {
  const argv = [
    ...process.execArgv,
    process.argv[1] as string,
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
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`stores-search exited with code ${code}`));
      else resolve(JSON.parse(output) as SearchClientResult);
    });
  });
}

function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
