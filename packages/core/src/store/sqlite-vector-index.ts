import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CacheStoreError } from '../cache/errors';
import { sha256Hex } from '../util/hash';
import { ExactVectorBlock } from './exact-vector-block';
import type { SqliteCacheFile, SqliteDatabase } from './sqlite-cache-file';
import type { VectorIndex, VectorMatch } from './types';
import { DEFAULT_HNSW_OPTIONS, type HnswOptions, UsearchPartition } from './usearch-partition';

export type SqliteVectorIndexOptions = HnswOptions & {
  /**
   * Partitions with fewer vectors are searched exactly in memory; larger ones get an HNSW
   * graph (usearch). Default: 1,024.
   */
  approximateFrom?: number;
  /**
   * Where HNSW graphs are saved on close, to be reloaded instead of rebuilt.
   * Default: a folder named after the SQLite file with `.vectors` appended.
   */
  snapshotDirectory?: string;
  /**
   * Re-score graph candidates against the float32 vectors in the file. Costs a random read per
   * candidate (milliseconds when the file is not in the page cache). Default: on for 'i8' only;
   * 'f16' similarities are within about 0.001 of exact.
   */
  rescore?: boolean;
  /** Candidates fetched from the graph per wanted result when re-scoring. Default: 3. */
  oversample?: number;
};

/** f16: 1M x 512-d fits in about 1.2 GB and needs no disk reads per search. */
export const DEFAULT_SQLITE_VECTOR_DTYPE = 'f16';

export const DEFAULT_APPROXIMATE_FROM = 1_024;

/** Labels map to keys in memory, so a search reads nothing from the file (about 120 B a vector). */
type Partition = { keys: Map<number, string> } & (
  | { kind: 'exact'; block: ExactVectorBlock<number> }
  | { kind: 'approximate'; graph: UsearchPartition; dirty: boolean }
);

/**
 * Vectors stored in the SQLite file (exact float32) with an in-memory search structure per
 * partition, built on first use: brute force for small partitions, an HNSW graph (f16 by
 * default) for large ones. With an i8 graph, candidates are re-scored against the stored
 * float32 vectors. Graphs are saved next to the file on close and reloaded
 * (then brought up to date from the table) on the next open, so semantic hits survive a restart.
 *
 * Several processes may share the file, but each searches the vectors it has loaded: a vector
 * another process added after this one loaded the partition is found only after a reopen.
 */
export class SqliteVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, Partition>();
  private readonly loading = new Map<string, Promise<Partition>>();
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly settings: Required<HnswOptions>;
  private readonly approximateFrom: number;
  private readonly oversample: number;
  private readonly rescore: boolean;
  private readonly snapshotDirectory: string | undefined;
  private closed = false;

  /** Use `openSqliteCache`; this constructor is for a file already opened. */
  constructor(
    private readonly file: SqliteCacheFile,
    options: SqliteVectorIndexOptions = {},
  ) {
    file.retain();
    this.settings = {
      dtype: options.dtype ?? DEFAULT_SQLITE_VECTOR_DTYPE,
      connectivity: options.connectivity ?? DEFAULT_HNSW_OPTIONS.connectivity,
      expansionAdd: options.expansionAdd ?? DEFAULT_HNSW_OPTIONS.expansionAdd,
      expansionSearch: options.expansionSearch ?? DEFAULT_HNSW_OPTIONS.expansionSearch,
      threads: options.threads ?? DEFAULT_HNSW_OPTIONS.threads,
    };
    this.approximateFrom = options.approximateFrom ?? DEFAULT_APPROXIMATE_FROM;
    this.oversample = Math.max(1, options.oversample ?? 3);
    this.rescore = options.rescore ?? this.settings.dtype === 'i8';
    const inMemory = file.path === ':memory:' || file.path === '';
    this.snapshotDirectory = options.snapshotDirectory ?? (inMemory ? undefined : `${file.path}.vectors`);
    this.statements = prepareStatements(file.database);
  }

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    await this.addMany(partition, [{ key, vector }]);
  }

  /** Inserts many vectors in one transaction (and one multi-threaded graph insert). */
  async addMany(partition: string, items: Array<{ key: string; vector: Float32Array }>): Promise<void> {
    this.assertOpen();
    if (items.length === 0) return;
    const replaced = this.removeRows(items.map((item) => item.key));
    const labels = this.file.database.transaction(() =>
      items.map((item) =>
        Number(this.statements.insert.run(item.key, partition, toBlob(item.vector)).lastInsertRowid),
      ),
    )();
    this.forgetInMemory(replaced);
    const loaded = this.partitions.get(partition);
    if (!loaded) return; // Built from the table on first search.
    items.forEach((item, index) => {
      loaded.keys.set(labels[index] as number, item.key);
    });
    if (loaded.kind === 'exact') {
      items.forEach((item, index) => {
        loaded.block.add(labels[index] as number, item.vector);
      });
      if (loaded.block.size >= this.approximateFrom) await this.promote(partition);
    } else {
      loaded.graph.addMany(
        BigUint64Array.from(labels, (label) => BigInt(label)),
        items.map((item) => item.vector),
      );
      loaded.dirty = true;
    }
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    this.assertOpen();
    const loaded = await this.partition(partition);
    if (loaded.kind === 'exact') return withKeys(loaded.keys, loaded.block.search(vector, k));
    if (!this.rescore) {
      const found = loaded.graph.search(vector, k);
      return withKeys(
        loaded.keys,
        found.map(({ label, similarity }) => ({ label: Number(label), similarity })),
      );
    }
    const rescored: VectorMatch[] = [];
    for (const candidate of loaded.graph.search(vector, k * this.oversample)) {
      const label = Number(candidate.label);
      const key = loaded.keys.get(label);
      const row = this.statements.vectorOf.get(label) as { vector: Buffer } | undefined;
      if (key !== undefined && row) rescored.push({ key, similarity: dot(fromBlob(row.vector), vector) });
    }
    rescored.sort((left, right) => right.similarity - left.similarity);
    return rescored.slice(0, k);
  }

  async delete(keys: string[]): Promise<void> {
    this.assertOpen();
    this.forgetInMemory(this.removeRows(keys));
  }

  /**
   * Loads (or builds) the search structure of the given partitions, or of all, now rather than
   * on their first search. A large partition without a saved graph takes minutes to build.
   */
  async warmUp(partitions?: string[]): Promise<void> {
    this.assertOpen();
    const names =
      partitions ??
      (this.statements.partitions.all() as Array<{ partition: string }>).map((row) => row.partition);
    for (const name of names) await this.partition(name);
  }

  /** Saves every changed HNSW graph next to the SQLite file, so the next open need not rebuild. */
  async save(): Promise<void> {
    this.assertOpen();
    if (!this.snapshotDirectory) return;
    for (const [partition, loaded] of this.partitions) {
      if (loaded.kind !== 'approximate' || !loaded.dirty) continue;
      mkdirSync(this.snapshotDirectory, { recursive: true });
      const fileName = `${sha256Hex(partition).slice(0, 32)}.usearch`;
      const target = join(this.snapshotDirectory, fileName);
      const temporary = `${target}.${process.pid}.tmp`;
      const maxLabel = (this.statements.maxLabel.get(partition) as { maxLabel: number | null }).maxLabel ?? 0;
      loaded.graph.save(temporary);
      renameSync(temporary, target);
      this.file.database.transaction(() => {
        this.statements.saveSnapshot.run(
          partition,
          fileName,
          maxLabel,
          this.settingsKey(loaded.graph.dimensions),
        );
        this.statements.clearTombstones.run(partition);
      })();
      loaded.dirty = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.file.isOpen) await this.save();
    } finally {
      this.closed = true;
      this.partitions.clear();
      this.file.release();
    }
  }

  private async partition(name: string): Promise<Partition> {
    const loaded = this.partitions.get(name);
    if (loaded) return loaded;
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<Partition> {
    const { count } = this.statements.countIn.get(name) as { count: number };
    let loaded: Partition;
    if (count < this.approximateFrom) {
      const rows = this.statements.rowsIn.all(name, 0) as Array<{
        label: number;
        key: string;
        vector: Buffer;
      }>;
      const block = new ExactVectorBlock<number>(
        (rows[0]?.vector.byteLength ?? 0) / 4 || 1,
        Math.max(rows.length, 16),
      );
      const keys = new Map<number, string>();
      for (const row of rows) {
        block.add(row.label, fromBlob(row.vector));
        keys.set(row.label, row.key);
      }
      loaded = { kind: 'exact', block, keys };
    } else {
      loaded = await this.loadGraph(name);
    }
    this.partitions.set(name, loaded);
    return loaded;
  }

  /** Reloads a saved graph and applies what changed since, or builds one from the table. */
  private async loadGraph(name: string): Promise<Partition> {
    // Read from the covering index (partition, label, key): the vectors' pages are not touched.
    const keys = new Map<number, string>();
    for (const row of this.statements.keysIn.iterate(name) as Iterable<{ label: number; key: string }>)
      keys.set(row.label, row.key);
    const first = this.statements.rowsIn.get(name, 0) as { vector: Buffer } | undefined;
    const dimensions = (first?.vector.byteLength ?? 0) / 4;
    const graph = await UsearchPartition.create(dimensions, this.settings);
    const snapshot = this.statements.snapshotOf.get(name) as
      | { file: string; max_label: number; settings: string }
      | undefined;
    const snapshotPath =
      snapshot && this.snapshotDirectory ? join(this.snapshotDirectory, snapshot.file) : undefined;
    let fromLabel = 0;
    let dirty = true;
    if (
      snapshot &&
      snapshotPath &&
      snapshot.settings === this.settingsKey(dimensions) &&
      existsSync(snapshotPath)
    ) {
      try {
        graph.load(snapshotPath);
        for (const row of this.statements.tombstonesOf.all(name) as Array<{ label: number }>)
          graph.remove(BigInt(row.label));
        fromLabel = snapshot.max_label;
        dirty = false;
      } catch {
        rmSync(snapshotPath, { force: true });
        return this.loadGraphFromTable(name, keys, await UsearchPartition.create(dimensions, this.settings));
      }
    }
    const added = insertRows(
      graph,
      this.statements.rowsIn.iterate(name, fromLabel) as Iterable<{ label: number; vector: Buffer }>,
    );
    return { kind: 'approximate', graph, keys, dirty: dirty || added > 0 };
  }

  private loadGraphFromTable(name: string, keys: Map<number, string>, graph: UsearchPartition): Partition {
    insertRows(graph, this.statements.rowsIn.iterate(name, 0) as Iterable<{ label: number; vector: Buffer }>);
    return { kind: 'approximate', graph, keys, dirty: true };
  }

  private async promote(name: string): Promise<void> {
    const loaded = await this.loadGraph(name);
    this.partitions.set(name, loaded);
  }

  /** Deletes rows by key; returns what was removed so in-memory structures can follow. */
  private removeRows(keys: string[]): Array<{ label: number; partition: string }> {
    if (keys.length === 0) return [];
    return this.file.database.transaction(() => {
      const removed: Array<{ label: number; partition: string }> = [];
      for (const key of keys) {
        const row = this.statements.labelOf.get(key) as { label: number; partition: string } | undefined;
        if (!row) continue;
        this.statements.deleteRow.run(row.label);
        // A saved graph still holds this label; remember to drop it when the graph is reloaded.
        if (this.statements.snapshotOf.get(row.partition))
          this.statements.addTombstone.run(row.partition, row.label);
        removed.push(row);
      }
      return removed;
    })();
  }

  private forgetInMemory(removed: Array<{ label: number; partition: string }>): void {
    for (const { label, partition } of removed) {
      const loaded = this.partitions.get(partition);
      if (!loaded) continue;
      loaded.keys.delete(label);
      if (loaded.kind === 'exact') loaded.block.delete(label);
      else {
        loaded.graph.remove(BigInt(label));
        loaded.dirty = true;
      }
    }
  }

  private settingsKey(dimensions: number): string {
    const { dtype, connectivity, expansionAdd } = this.settings;
    return JSON.stringify({ dimensions, dtype, connectivity, expansionAdd });
  }

  private assertOpen(): void {
    if (this.closed || !this.file.isOpen) throw new CacheStoreError('The SQLite vector index is closed');
  }
}

/** Streams rows into the graph in batches, so a million vectors never sit in memory twice. */
function insertRows(graph: UsearchPartition, rows: Iterable<{ label: number; vector: Buffer }>): number {
  const batchSize = 10_000;
  let inserted = 0;
  let labels: number[] = [];
  let vectors: Float32Array[] = [];
  const flush = () => {
    graph.addMany(
      BigUint64Array.from(labels, (label) => BigInt(label)),
      vectors,
    );
    inserted += labels.length;
    labels = [];
    vectors = [];
  };
  for (const row of rows) {
    labels.push(row.label);
    vectors.push(fromBlob(row.vector));
    if (labels.length >= batchSize) flush();
  }
  if (labels.length > 0) flush();
  return inserted;
}

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function fromBlob(blob: Buffer): Float32Array {
  // SQLite hands back Buffers at arbitrary offsets; Float32Array needs 4-byte alignment.
  const vector = new Float32Array(blob.byteLength / 4);
  new Uint8Array(vector.buffer).set(blob);
  return vector;
}

function withKeys(
  keys: Map<number, string>,
  found: Array<{ label: number; similarity: number }>,
): VectorMatch[] {
  const matches: VectorMatch[] = [];
  for (const { label, similarity } of found) {
    const key = keys.get(label);
    if (key !== undefined) matches.push({ key, similarity });
  }
  return matches;
}

function dot(left: Float32Array, right: Float32Array): number {
  if (left.length !== right.length) return -1;
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

function prepareStatements(database: SqliteDatabase) {
  return {
    insert: database.prepare('INSERT INTO vectors (key, partition, vector) VALUES (?, ?, ?)'),
    labelOf: database.prepare('SELECT label, partition FROM vectors WHERE key = ?'),
    deleteRow: database.prepare('DELETE FROM vectors WHERE label = ?'),
    partitions: database.prepare('SELECT DISTINCT partition FROM vectors'),
    countIn: database.prepare('SELECT count(*) AS count FROM vectors WHERE partition = ?'),
    maxLabel: database.prepare('SELECT max(label) AS maxLabel FROM vectors WHERE partition = ?'),
    rowsIn: database.prepare(
      'SELECT label, key, vector FROM vectors WHERE partition = ? AND label > ? ORDER BY label',
    ),
    keysIn: database.prepare('SELECT label, key FROM vectors WHERE partition = ?'),
    vectorOf: database.prepare('SELECT vector FROM vectors WHERE label = ?'),
    snapshotOf: database.prepare('SELECT file, max_label, settings FROM ann_snapshots WHERE partition = ?'),
    saveSnapshot: database.prepare(
      'INSERT INTO ann_snapshots (partition, file, max_label, settings) VALUES (?, ?, ?, ?) ON CONFLICT(partition) DO UPDATE SET file = excluded.file, max_label = excluded.max_label, settings = excluded.settings',
    ),
    tombstonesOf: database.prepare('SELECT label FROM vector_tombstones WHERE partition = ?'),
    addTombstone: database.prepare(
      'INSERT OR IGNORE INTO vector_tombstones (partition, label) VALUES (?, ?)',
    ),
    clearTombstones: database.prepare('DELETE FROM vector_tombstones WHERE partition = ?'),
  };
}
