import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CacheStoreError } from '../cache/errors';
import { sha256Hex } from '../util/hash';
import { ExactVectorBlock } from './exact-vector-block';
import { buildGraphInWorker, type GraphBuild, type GraphBuildResult } from './hnsw-build-worker';
import type { SqliteCacheFile } from './sqlite-cache-file';
import {
  decodeVectorRow,
  fromBlob,
  prepareVectorStatements,
  ROW_CHUNK,
  toBlob,
  type VectorRow,
  type VectorStatements,
  vectorProblem,
} from './sqlite-vector-rows';
import type { VectorIndex, VectorMatch } from './types';
import { DEFAULT_HNSW_OPTIONS, type HnswOptions, loadUsearch, UsearchPartition } from './usearch-partition';

export type SqliteVectorIndexOptions = HnswOptions & {
  /**
   * Partitions with fewer vectors are searched exactly in memory; larger ones get an HNSW
   * graph (usearch), built in a worker thread. Default: 1,024.
   */
  approximateFrom?: number;
  /**
   * Where HNSW graphs are saved, to be reloaded instead of rebuilt.
   * Default: a folder named after the SQLite file with `.vectors` appended.
   */
  snapshotDirectory?: string;
  /**
   * How often graphs that changed are saved while the process runs (they are also saved on
   * close). A save blocks the event loop while the graph (about 1 KB per 512-d f16 vector) is
   * written. 0: only on close. Default: 5 minutes.
   */
  snapshotIntervalMs?: number;
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
/**
 * Graph inserts use one thread: usearch's multi-threaded bulk insert left some vectors
 * unreachable by search (8,000 hashing-embedder vectors: 2 threads lost 1 of them at 512-d
 * and 5 at 96-d, 1 thread none), and a vector no search reaches is an entry lost to semantic
 * lookups. Builds run in a worker thread, so the slower build does not block lookups.
 */
export const DEFAULT_SQLITE_GRAPH_THREADS = 1;
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 5 * 60_000;
/**
 * Time a search may spend taking in rows other processes wrote (a graph insert costs about
 * 0.5 ms), so a search never waits long behind a burst of writes elsewhere; the rest follows
 * on the next searches. Rows are read in chunks of CATCH_UP_CHUNK.
 */
const CATCH_UP_BUDGET_MS = 50;
const CATCH_UP_CHUNK = 64;
/** A saved graph behind the table by more rows than this is brought up to date in a worker. */
const SNAPSHOT_BACKLOG_LIMIT = 1_000;
/** While a graph is built, partitions up to this size are searched exactly; larger ones miss. */
const EXACT_FALLBACK_LIMIT = 10_000;
const BUILD_RETRY_MS = 60_000;
/** Extra graph candidates, for labels deleted by another process that the graph still holds. */
const DEAD_LABEL_SLACK = 8;

type Structure =
  | { kind: 'exact'; block: ExactVectorBlock<number> }
  | { kind: 'approximate'; graph: UsearchPartition; changes: number }
  | {
      kind: 'building';
      /** Serves searches during the build when the partition is small enough; else they miss. */
      fallback?: ExactVectorBlock<number>;
      build?: GraphBuild;
      done: Promise<void>;
      failedAt?: number;
    };

/**
 * What this process knows of one partition. `caughtUpTo`: every committed row up to this label
 * is in the structure (labels are handed out in commit order, as SQLite has one writer at a
 * time, so the rows above it are exactly the ones not yet read). `seenVersion`: the file's
 * change counter at the last complete catch-up; while it is unchanged, no other connection
 * has written and a search reads nothing.
 */
type Partition = {
  name: string;
  dimensions: number;
  keys: Map<number, string>;
  labels: Map<string, number>;
  caughtUpTo: number;
  seenVersion: number | undefined;
  structure: Structure;
};

type Snapshot = { path: string; maxLabel: number };

/**
 * Vectors stored in the SQLite file (exact float32) with an in-memory search structure per
 * partition: brute force for small partitions, an HNSW graph (f16 by default) for large ones.
 *
 * Many processes may share the file. Before each search a partition takes in the rows other
 * processes committed since its last look (one indexed range read, skipped outright when the
 * file's change counter has not moved). Writes take the write lock up front and are retried
 * while another process holds it; a vector is checked (length, finite values, the partition's
 * dimensions) before anything is written. Graphs are built in a worker thread, saved now and
 * then and on close, and reloaded on the next open (then brought up to date from the table),
 * so semantic hits survive a restart without a rebuild. Rows that are malformed (wrong length,
 * non-finite values) are skipped and reported through the file's warning listener.
 */
export class SqliteVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, Partition>();
  private readonly loading = new Map<string, Promise<Partition>>();
  private readonly statements: VectorStatements;
  private readonly settings: Required<HnswOptions>;
  private readonly approximateFrom: number;
  private readonly oversample: number;
  private readonly rescore: boolean;
  private readonly snapshotDirectory: string | undefined;
  private readonly snapshotTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private closing = false;

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
      threads: options.threads ?? DEFAULT_SQLITE_GRAPH_THREADS,
    };
    this.approximateFrom = Math.max(1, options.approximateFrom ?? DEFAULT_APPROXIMATE_FROM);
    this.oversample = Math.max(1, options.oversample ?? 3);
    this.rescore = options.rescore ?? this.settings.dtype === 'i8';
    const inMemory = file.path === ':memory:' || file.path === '';
    this.snapshotDirectory = options.snapshotDirectory ?? (inMemory ? undefined : `${file.path}.vectors`);
    this.statements = prepareVectorStatements(file.database);
    const interval = options.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS;
    if (interval > 0 && this.snapshotDirectory) {
      this.snapshotTimer = setInterval(() => this.saveInBackground(), interval);
      this.snapshotTimer.unref();
    }
  }

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    await this.addMany(partition, [{ key, vector }]);
  }

  /**
   * Inserts many vectors in one transaction (and one graph insert). Throws a
   * CacheStoreError, having written nothing, when any vector is malformed or of another length
   * than the partition's.
   */
  async addMany(partition: string, items: Array<{ key: string; vector: Float32Array }>): Promise<void> {
    this.assertOpen();
    if (items.length === 0) return;
    const dimensions = this.checkVectors(partition, items);
    const written = await this.file.write(() => {
      const stored = this.storedDimensions(partition);
      if (stored > 0 && stored !== dimensions)
        throw new CacheStoreError(
          `vector not stored: it has ${dimensions} dimensions, the partition ${stored}`,
        );
      if (stored === 0) this.statements.setDimensions.run(partition, dimensions);
      this.removeRows(items.map((item) => item.key));
      const counter = this.file.changeCounter();
      const labels = items.map((item) =>
        Number(this.statements.insert.run(item.key, partition, toBlob(item.vector)).lastInsertRowid),
      );
      return { counter, labels };
    });
    this.forgetKeys(items.map((item) => item.key));
    const loaded = this.partitions.get(partition);
    if (!loaded) return; // Read from the table on first search.
    loaded.dimensions ||= dimensions;
    const rows = items.map((item, index) => ({ ...item, label: written.labels[index] as number }));
    this.takeRows(loaded, rows);
    // Nobody else wrote since the last catch-up: the rows above it are exactly these.
    if (written.counter === loaded.seenVersion)
      loaded.caughtUpTo = Math.max(loaded.caughtUpTo, ...written.labels);
    this.promoteWhenLarge(loaded);
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    this.assertOpen();
    const loaded = await this.partition(partition);
    if (k <= 0 || vectorProblem(vector, loaded.dimensions)) return [];
    this.catchUp(loaded);
    const structure = loaded.structure;
    if (structure.kind === 'exact') return withKeys(loaded.keys, structure.block.search(vector, k), k);
    if (structure.kind === 'building') {
      this.retryFailedBuild(loaded);
      return structure.fallback ? withKeys(loaded.keys, structure.fallback.search(vector, k), k) : [];
    }
    return this.searchGraph(loaded, structure.graph, vector, k);
  }

  async delete(keys: string[]): Promise<void> {
    this.assertOpen();
    if (keys.length === 0) return;
    await this.file.write(() => this.removeRows(keys));
    // Also the keys whose rows another process already deleted: this process may still hold them.
    this.forgetKeys(keys);
  }

  /**
   * Loads the search structure of the given partitions, or of all, waits for any graph build
   * and takes in every row written so far: after it, searches answer from the full structure.
   */
  async warmUp(partitions?: string[]): Promise<void> {
    this.assertOpen();
    const names =
      partitions ??
      (this.statements.partitions.all() as Array<{ partition: string }>).map((row) => row.partition);
    for (const name of names) {
      const loaded = await this.partition(name);
      while (loaded.structure.kind === 'building') {
        const building = loaded.structure;
        if (building.failedAt !== undefined)
          throw new CacheStoreError(`the graph of partition ${name.slice(0, 12)} failed to build`);
        await building.done;
      }
      while (loaded.seenVersion !== this.file.changeCounter()) this.catchUp(loaded, Number.POSITIVE_INFINITY);
    }
  }

  /** Saves every changed HNSW graph next to the SQLite file, so the next open need not rebuild. */
  async save(): Promise<void> {
    this.assertOpen();
    if (!this.snapshotDirectory) return;
    for (const loaded of this.partitions.values()) {
      const structure = loaded.structure;
      if (structure.kind !== 'approximate' || structure.changes === 0) continue;
      const newer = this.statements.snapshotOf.get(loaded.name) as { max_label: number } | undefined;
      // Another process saved a graph that has seen more: keep it.
      if (newer && newer.max_label > loaded.caughtUpTo) continue;
      const target = this.snapshotPath(loaded.name);
      structure.graph.save(target);
      structure.changes = 0;
      await this.recordSnapshot(loaded, target, loaded.caughtUpTo);
    }
  }

  /** Saves the graphs and closes. A graph build still running is stopped (the next open redoes it). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    this.closing = true;
    try {
      for (const loaded of this.partitions.values())
        if (loaded.structure.kind === 'building') loaded.structure.build?.cancel();
      if (this.file.isOpen) await this.save();
    } finally {
      this.closed = true;
      this.partitions.clear();
      this.file.release();
    }
  }

  private checkVectors(partition: string, items: Array<{ key: string; vector: Float32Array }>): number {
    const known = this.partitions.get(partition)?.dimensions || this.storedDimensions(partition);
    const dimensions = known || (items[0]?.vector.length ?? 0);
    for (const item of items) {
      const problem =
        typeof item.key === 'string' && item.key.length > 0
          ? vectorProblem(item.vector, dimensions)
          : 'the key is empty';
      if (problem) throw new CacheStoreError(`vector not stored: ${problem}`);
    }
    return dimensions;
  }

  /** The partition's vector length: recorded on its first write (or, in older files, its first row's). */
  private storedDimensions(partition: string): number {
    const recorded = this.statements.dimensionsOf.get(partition) as { dimensions: number } | undefined;
    if (recorded) return recorded.dimensions;
    const first = this.statements.firstRowBytes.get(partition) as { bytes: number } | undefined;
    return first ? Math.floor(first.bytes / 4) : 0;
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

  /**
   * Small partitions are read into an exact block. Large ones reload their saved graph when it
   * is close to the table; otherwise a worker builds the graph while searches answer exactly
   * (up to EXACT_FALLBACK_LIMIT vectors) or miss.
   */
  private async load(name: string): Promise<Partition> {
    const dimensions = this.storedDimensions(name);
    const loaded: Partition = {
      name,
      dimensions,
      keys: new Map(),
      labels: new Map(),
      caughtUpTo: 0,
      seenVersion: undefined,
      structure: { kind: 'exact', block: new ExactVectorBlock<number>(dimensions || 1, 16) },
    };
    const { count } = this.statements.countIn.get(name) as { count: number };
    if (count >= this.approximateFrom) {
      await loadUsearch();
      const snapshot = this.usableSnapshot(name, dimensions);
      if (!snapshot || !(await this.reloadSnapshot(loaded, snapshot)))
        this.startBuild(loaded, count <= EXACT_FALLBACK_LIMIT, snapshot);
    }
    // Bounded: exact blocks hold at most EXACT_FALLBACK_LIMIT rows, a reloaded graph is at most
    // SNAPSHOT_BACKLOG_LIMIT rows behind.
    while (this.canCatchUp(loaded) && loaded.seenVersion !== this.file.changeCounter())
      this.catchUp(loaded, Number.POSITIVE_INFINITY);
    this.partitions.set(name, loaded);
    return loaded;
  }

  /** The saved graph of a partition, when it was built with these settings and its file is there. */
  private usableSnapshot(name: string, dimensions: number): Snapshot | undefined {
    if (!this.snapshotDirectory) return undefined;
    const row = this.statements.snapshotOf.get(name) as
      | { file: string; max_label: number; settings: string }
      | undefined;
    if (!row || row.settings !== this.settingsKey(dimensions)) return undefined;
    const path = join(this.snapshotDirectory, row.file);
    return existsSync(path) ? { path, maxLabel: row.max_label } : undefined;
  }

  /** Loads a saved graph that is at most SNAPSHOT_BACKLOG_LIMIT rows behind; false when it cannot. */
  private async reloadSnapshot(loaded: Partition, snapshot: Snapshot): Promise<boolean> {
    const { count: backlog } = this.statements.countAfter.get(loaded.name, snapshot.maxLabel) as {
      count: number;
    };
    if (backlog > SNAPSHOT_BACKLOG_LIMIT) return false;
    const graph = await UsearchPartition.create(loaded.dimensions, this.settings);
    try {
      graph.load(snapshot.path);
    } catch (error) {
      this.file.warn({
        code: 'snapshot-unreadable',
        message: `rebuilding the vector graph: ${describe(error)}`,
      });
      return false;
    }
    this.useGraph(loaded, graph, snapshot.maxLabel);
    return true;
  }

  /** Makes a loaded graph the partition's structure: drops deleted labels, reads the keys. */
  private useGraph(loaded: Partition, graph: UsearchPartition, maxLabel: number): void {
    for (const row of this.statements.tombstonesOf.all(loaded.name) as Array<{ label: number }>)
      graph.remove(BigInt(row.label));
    this.readKeys(loaded);
    loaded.structure = { kind: 'approximate', graph, changes: 0 };
    loaded.caughtUpTo = maxLabel;
    loaded.seenVersion = undefined;
  }

  private readKeys(loaded: Partition): void {
    loaded.keys = new Map();
    loaded.labels = new Map();
    for (let after = 0; ; ) {
      const chunk = this.statements.keysAfter.all(loaded.name, after, ROW_CHUNK) as Array<{
        label: number;
        key: string;
      }>;
      for (const row of chunk) {
        loaded.keys.set(row.label, row.key);
        loaded.labels.set(row.key, row.label);
      }
      if (chunk.length < ROW_CHUNK) return;
      after = (chunk[chunk.length - 1] as { label: number }).label;
    }
  }

  /**
   * Starts a graph build in a worker; until it ends, searches use an exact block of the
   * partition (when small enough) or miss. Databases in memory cannot be opened by a worker:
   * they build here.
   */
  private startBuild(loaded: Partition, withFallback: boolean, snapshot?: Snapshot): void {
    const fallback = withFallback
      ? loaded.structure.kind === 'exact'
        ? loaded.structure.block
        : new ExactVectorBlock<number>(loaded.dimensions || 1, 16)
      : undefined;
    if (!fallback) {
      loaded.keys = new Map();
      loaded.labels = new Map();
    }
    if (!this.snapshotDirectory) {
      const done = this.buildHere(loaded).catch((error: unknown) => this.buildFailed(loaded, error));
      loaded.structure = { kind: 'building', fallback, done };
      return;
    }
    mkdirSync(this.snapshotDirectory, { recursive: true });
    const target = this.snapshotPath(loaded.name);
    const build = buildGraphInWorker({
      databasePath: this.file.path,
      partition: loaded.name,
      dimensions: loaded.dimensions,
      settings: this.settings,
      snapshot: snapshot && { file: snapshot.path, maxLabel: snapshot.maxLabel },
      target,
    });
    const done = build.result
      .then((result) => this.finishBuild(loaded, result, target))
      .catch((error: unknown) => this.buildFailed(loaded, error, target));
    loaded.structure = { kind: 'building', fallback, build, done };
  }

  private async buildHere(loaded: Partition): Promise<void> {
    const graph = await UsearchPartition.create(loaded.dimensions, this.settings);
    this.useGraph(loaded, graph, 0);
    while (loaded.seenVersion !== this.file.changeCounter()) this.catchUp(loaded, Number.POSITIVE_INFINITY);
  }

  private async finishBuild(loaded: Partition, result: GraphBuildResult, target: string): Promise<void> {
    if (this.closing || this.partitions.get(loaded.name) !== loaded) {
      rmSync(target, { force: true });
      return;
    }
    if (result.skipped > 0)
      this.reportSkipped(loaded, result.skipped, result.firstProblem ?? 'malformed row');
    const graph = await UsearchPartition.create(loaded.dimensions, this.settings);
    graph.load(target);
    this.useGraph(loaded, graph, result.maxLabel);
    await this.recordSnapshot(loaded, target, result.maxLabel).catch((error: unknown) =>
      this.file.warn({
        code: 'snapshot-failed',
        message: `graph not saved: ${describe(error)}`,
        cause: error,
      }),
    );
  }

  private buildFailed(loaded: Partition, error: unknown, target?: string): void {
    if (target) rmSync(target, { force: true });
    if (this.closing || loaded.structure.kind !== 'building') return;
    this.file.warn({
      code: 'index-build-failed',
      message: `semantic lookups in this partition answer from an exact scan or miss: ${describe(error)}`,
      cause: error,
    });
    loaded.structure = {
      kind: 'building',
      fallback: loaded.structure.fallback,
      done: Promise.resolve(),
      failedAt: Date.now(),
    };
  }

  private retryFailedBuild(loaded: Partition): void {
    const structure = loaded.structure;
    if (structure.kind !== 'building' || structure.failedAt === undefined) return;
    if (Date.now() - structure.failedAt < BUILD_RETRY_MS) return;
    this.startBuild(loaded, structure.fallback !== undefined);
  }

  private promoteWhenLarge(loaded: Partition): void {
    const structure = loaded.structure;
    if (structure.kind === 'exact' && structure.block.size >= this.approximateFrom)
      this.startBuild(loaded, true);
  }

  /**
   * Takes in rows committed by other connections since the last look, up to a bound per call.
   * Skipped entirely while the file's change counter has not moved.
   */
  private catchUp(loaded: Partition, budgetMs = CATCH_UP_BUDGET_MS): void {
    if (!this.canCatchUp(loaded)) return;
    const version = this.file.changeCounter();
    if (loaded.seenVersion === version) return;
    // A partition first searched while empty learns its length from the first write to it.
    if (loaded.dimensions === 0) loaded.dimensions = this.storedDimensions(loaded.name);
    const started = performance.now();
    // Exact blocks take rows in fast: read them in large chunks.
    const chunkSize = loaded.structure.kind === 'approximate' ? CATCH_UP_CHUNK : ROW_CHUNK;
    let skipped = 0;
    let firstProblem: string | undefined;
    for (;;) {
      const chunk = this.statements.rowsAfter.all(loaded.name, loaded.caughtUpTo, chunkSize) as Array<
        Record<string, unknown>
      >;
      const rows: VectorRow[] = [];
      for (const row of chunk) {
        const decoded = decodeVectorRow(row, loaded.dimensions);
        if (typeof decoded === 'object') rows.push(decoded);
        else {
          skipped++;
          firstProblem ??= decoded;
        }
        if (Number.isSafeInteger(row.label)) loaded.caughtUpTo = row.label as number;
      }
      this.takeRows(loaded, rows);
      if (chunk.length < chunkSize) {
        loaded.seenVersion = version;
        break;
      }
      if (performance.now() - started >= budgetMs) break;
    }
    if (skipped > 0) this.reportSkipped(loaded, skipped, firstProblem as string);
    this.promoteWhenLarge(loaded);
  }

  /** False while a graph is built for a partition too large to search exactly in the meantime. */
  private canCatchUp(loaded: Partition): boolean {
    return loaded.structure.kind !== 'building' || loaded.structure.fallback !== undefined;
  }

  /** Puts rows into the partition's structure; rows it already holds are left as they are. */
  private takeRows(loaded: Partition, rows: VectorRow[]): void {
    const structure = loaded.structure;
    if (structure.kind === 'building' && !structure.fallback) return;
    const fresh: VectorRow[] = [];
    for (const row of rows) {
      if (loaded.keys.get(row.label) === row.key && this.holds(structure, row.label)) continue;
      const previous = loaded.labels.get(row.key);
      if (previous !== undefined && previous !== row.label) this.forgetLabel(loaded, previous);
      loaded.keys.set(row.label, row.key);
      loaded.labels.set(row.key, row.label);
      fresh.push(row);
    }
    if (fresh.length === 0) return;
    if (structure.kind === 'approximate') {
      structure.graph.addMany(
        BigUint64Array.from(fresh, (row) => BigInt(row.label)),
        fresh.map((row) => row.vector),
      );
      structure.changes += fresh.length;
      return;
    }
    const block =
      structure.kind === 'exact' ? structure.block : (structure.fallback as ExactVectorBlock<number>);
    for (const row of fresh) block.add(row.label, row.vector);
  }

  private holds(structure: Structure, label: number): boolean {
    if (structure.kind === 'approximate') return structure.graph.has(BigInt(label));
    if (structure.kind === 'exact') return structure.block.has(label);
    return structure.fallback?.has(label) ?? false;
  }

  private searchGraph(
    loaded: Partition,
    graph: UsearchPartition,
    vector: Float32Array,
    k: number,
  ): VectorMatch[] {
    if (!this.rescore) {
      const found = graph.search(vector, k + DEAD_LABEL_SLACK);
      return withKeys(
        loaded.keys,
        found.map(({ label, similarity }) => ({ label: Number(label), similarity })),
        k,
      );
    }
    const rescored: Array<{ label: number; similarity: number }> = [];
    for (const candidate of graph.search(vector, k * this.oversample + DEAD_LABEL_SLACK)) {
      const label = Number(candidate.label);
      const row = this.statements.vectorOf.get(label) as { vector: unknown } | undefined;
      if (row?.vector instanceof Uint8Array && row.vector.byteLength === vector.length * 4)
        rescored.push({ label, similarity: dot(fromBlob(row.vector), vector) });
    }
    rescored.sort((left, right) => right.similarity - left.similarity);
    return withKeys(loaded.keys, rescored, k);
  }

  /** Deletes rows by key, inside a write transaction; a saved graph gets a tombstone for each. */
  private removeRows(keys: string[]): void {
    for (const key of keys) {
      const row = this.statements.labelOf.get(key) as { label: number; partition: string } | undefined;
      if (!row) continue;
      this.statements.deleteRow.run(row.label);
      if (this.statements.snapshotOf.get(row.partition))
        this.statements.addTombstone.run(row.partition, row.label);
    }
  }

  private forgetKeys(keys: string[]): void {
    for (const loaded of this.partitions.values()) {
      for (const key of keys) {
        const label = loaded.labels.get(key);
        if (label !== undefined) this.forgetLabel(loaded, label);
      }
    }
  }

  private forgetLabel(loaded: Partition, label: number): void {
    const key = loaded.keys.get(label);
    loaded.keys.delete(label);
    if (key !== undefined && loaded.labels.get(key) === label) loaded.labels.delete(key);
    const structure = loaded.structure;
    if (structure.kind === 'exact') structure.block.delete(label);
    else if (structure.kind === 'building') structure.fallback?.delete(label);
    else {
      structure.graph.remove(BigInt(label));
      structure.changes++;
    }
  }

  /**
   * Points the partition's snapshot row at a saved graph file, unless another process recorded
   * one that has seen more; the file it replaces is deleted.
   */
  private async recordSnapshot(loaded: Partition, target: string, maxLabel: number): Promise<void> {
    const settings = this.settingsKey(loaded.dimensions);
    const outcome = await this.file.write(() => {
      const previous = this.statements.snapshotOf.get(loaded.name) as
        | { file: string; max_label: number; settings: string }
        | undefined;
      if (previous && previous.settings === settings && previous.max_label > maxLabel) return { kept: false };
      this.statements.saveSnapshot.run(loaded.name, basename(target), maxLabel, settings);
      this.statements.clearTombstones.run(loaded.name, maxLabel);
      return { kept: true, replaced: previous?.file };
    });
    const directory = this.snapshotDirectory as string;
    if (!outcome.kept) rmSync(target, { force: true });
    else if (outcome.replaced && outcome.replaced !== basename(target))
      rmSync(join(directory, outcome.replaced), { force: true });
  }

  private saveInBackground(): void {
    if (this.closed || !this.file.isOpen) return;
    this.save().catch((error: unknown) =>
      this.file.warn({
        code: 'snapshot-failed',
        message: `graph not saved: ${describe(error)}`,
        cause: error,
      }),
    );
  }

  /** A new file name per save: processes sharing the folder never overwrite a graph another is reading. */
  private snapshotPath(partition: string): string {
    const stem = sha256Hex(partition).slice(0, 32);
    const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return join(this.snapshotDirectory as string, `${stem}-${unique}.usearch`);
  }

  private reportSkipped(loaded: Partition, skipped: number, firstProblem: string): void {
    this.file.warn({
      code: 'malformed-row',
      message: `skipped ${skipped} malformed vector row(s) of partition ${loaded.name.slice(0, 12)}: ${firstProblem}`,
    });
  }

  private settingsKey(dimensions: number): string {
    const { dtype, connectivity, expansionAdd } = this.settings;
    return JSON.stringify({ dimensions, dtype, connectivity, expansionAdd });
  }

  private assertOpen(): void {
    if (this.closed || !this.file.isOpen) throw new CacheStoreError('The SQLite vector index is closed');
  }
}

/** Matches with their keys, one per key (a key re-added by another process may hold two labels), best first. */
function withKeys(
  keys: Map<number, string>,
  found: Array<{ label: number; similarity: number }>,
  k: number,
): VectorMatch[] {
  const matches: VectorMatch[] = [];
  const seen = new Set<string>();
  for (const { label, similarity } of found) {
    const key = keys.get(label);
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    matches.push({ key, similarity });
    if (matches.length === k) break;
  }
  return matches;
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
