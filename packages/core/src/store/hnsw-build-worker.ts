import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CacheStoreError } from '../cache/errors';
import type { HnswOptions } from './usearch-partition';

export type GraphBuildRequest = {
  /** The SQLite file; the worker opens its own read-only connection. */
  databasePath: string;
  partition: string;
  dimensions: number;
  settings: Required<HnswOptions>;
  /**
   * A saved graph to start from: the labels deleted since it was saved (its tombstones) are
   * removed from it and the rows above `maxLabel` added to it.
   */
  snapshot?: { file: string; maxLabel: number };
  /** Where the built graph is saved. */
  target: string;
};

export type GraphBuildResult = {
  /** Every stored row of the partition up to this label is in the graph (or was skipped). */
  maxLabel: number;
  added: number;
  skipped: number;
  /** Why the first skipped row was skipped. */
  firstProblem?: string;
};

export type GraphBuild = { result: Promise<GraphBuildResult>; cancel(): void };

/**
 * Builds a partition's HNSW graph in a worker thread, or brings a saved one up to date, so
 * neither the build (minutes at 1M vectors) nor loading and saving a full graph (seconds) ever
 * runs on the event loop. The worker reads the rows itself over a read-only connection, in
 * short chunks, and saves the graph to `target` for the caller to view (memory-mapped).
 */
export function buildGraphInWorker(request: GraphBuildRequest): GraphBuild {
  const resolve = createRequire(import.meta.url).resolve;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { ...request, sqliteModule: resolve('better-sqlite3'), usearchModule: resolve('usearch') },
  });
  let cancelled = false;
  const result = new Promise<GraphBuildResult>((done, fail) => {
    worker.once('message', (message: GraphBuildResult) => done(message));
    worker.once('error', (error) =>
      fail(new CacheStoreError(`building the vector graph failed: ${error.message}`, { cause: error })),
    );
    worker.once('exit', (code) =>
      fail(
        new CacheStoreError(
          cancelled ? 'the graph build was cancelled' : `the graph worker exited (${code})`,
        ),
      ),
    );
  });
  return {
    result,
    cancel() {
      cancelled = true;
      void worker.terminate();
    },
  };
}

/**
 * Plain CommonJS so it runs the same from the TypeScript sources (tests) and the built package.
 * Same row checks as `decodeVectorRow`: a row of the wrong length or with a non-finite value is
 * skipped and counted, never put in the graph.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: job } = require('node:worker_threads');
const Database = require(job.sqliteModule);
const usearch = require(job.usearchModule);
const database = new Database(job.databasePath, { readonly: true, fileMustExist: true });
database.pragma('busy_timeout = 1000');
const config = {
  dimensions: job.dimensions, metric: 'cos', quantization: job.settings.dtype,
  connectivity: job.settings.connectivity, expansion_add: job.settings.expansionAdd,
  expansion_search: job.settings.expansionSearch, multi: false,
};
let index = new usearch.Index(config);
let fromLabel = 0;
if (job.snapshot) {
  try {
    index.load(job.snapshot.file);
    fromLabel = job.snapshot.maxLabel;
    const deleted = database.prepare('SELECT label FROM vector_tombstones WHERE partition = ?').all(job.partition);
    for (const row of deleted) if (index.contains(BigInt(row.label))) index.remove(BigInt(row.label));
  } catch {
    // Replaced (and deleted) by another process since it was chosen: build from the table.
    index = new usearch.Index(config);
    fromLabel = 0;
  }
}
const rows = database.prepare(
  'SELECT label, vector FROM vectors WHERE partition = ? AND label > ? ORDER BY label LIMIT 5000');
let maxLabel = fromLabel, added = 0, skipped = 0, firstProblem;
const bytes = job.dimensions * 4;
for (;;) {
  const chunk = rows.all(job.partition, maxLabel);
  if (chunk.length === 0) break;
  const labels = [], vectors = [];
  for (const row of chunk) {
    maxLabel = row.label;
    const problem = !(row.vector instanceof Uint8Array) ? 'not a blob'
      : row.vector.byteLength !== bytes ? row.vector.byteLength + ' bytes, not ' + bytes : undefined;
    let vector;
    if (!problem) {
      vector = new Float32Array(job.dimensions);
      new Uint8Array(vector.buffer).set(row.vector);
    }
    const bad = problem || (vector.every(Number.isFinite) ? undefined : 'a non-finite value');
    if (bad) { skipped++; firstProblem = firstProblem || 'label ' + row.label + ': ' + bad; continue; }
    if (index.contains(BigInt(row.label))) continue;
    labels.push(BigInt(row.label));
    vectors.push(vector);
  }
  if (labels.length > 0) index.add(BigUint64Array.from(labels), vectors, job.settings.threads);
  added += labels.length;
}
database.close();
index.save(job.target);
parentPort.postMessage({ maxLabel, added, skipped, firstProblem });
`;
