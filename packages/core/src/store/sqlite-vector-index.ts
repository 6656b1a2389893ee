import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CacheStoreError } from '../cache/errors';
import { sha256Hex } from '../util/hash';
import { ExactVectorBlock } from './exact-vector-block';
import { buildGraphInWorker, type GraphBuild, type GraphBuildResult } from './hnsw-build-worker';
import { removeOrphanSnapshots } from './snapshot-orphans';
import type { SqliteCacheFile } from './sqlite-cache-file';
import {
  decodeVectorRow,
  fromBlob,
  keysOf,
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
   * close). A save is a worker thread folding the rows added and deleted since the last saved
   * graph into a new one; the event loop only maps the new file in. 0: only on close (and when
   * a thousand rows have piled up above the graph). Default: 5 minutes.
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
 * Time a search may spend taking in rows other processes wrote, so a search never waits long
 * behind a burst of writes elsewhere; the rest follows on the next searches.
 */
const CATCH_UP_BUDGET_MS = 50;
/**
 * Rows above a partition's graph are searched exactly; from this many on, a worker folds them
 * into a new graph (searches keep using the old one and the exact rows meanwhile).
 */
const MERGE_FROM = 1_000;
/**
 * While a graph is built, partitions up to this size are searched exactly; larger ones miss.
 * Also the most rows held above a graph while a worker merges them: later ones wait for it.
 */
const EXACT_FALLBACK_LIMIT = 10_000;
const BUILD_RETRY_MS = 60_000;
/** Extra graph candidates, for labels deleted since the graph was saved, which it still holds. */
const DEAD_LABEL_SLACK = 8;
/** Most graph candidates fetched when deleted labels crowd out the live ones. */
const MAX_GRAPH_CANDIDATES = 1_024;

/**
 * A graph and the rows written above it. The graph is a read-only view of a saved file (or, for
 * a database in memory, a graph built here); every row up to `maxLabel` is in it, except
 * malformed ones. Deleted rows stay in it until the next merge: a graph label is turned into
 * its key through the table, so a deleted one is never served. `recent` holds the rows above.
 */
type GraphStructure = {
  kind: 'approximate';
  graph: UsearchPartition;
  file?: string;
  maxLabel: number;
  recent: ExactVectorBlock<number>;
  merge?: Promise<void>;
  mergeFailedAt?: number;
};

type Structure =
  | { kind: 'exact'; block: ExactVectorBlock<number> }
  | GraphStructure
  | {
      kind: 'building';
      /** Serves searches during the build when the partition is small enough; else they miss. */
      fallback?: ExactVectorBlock<number>;
      build?: GraphBuild;
      done: Promise<void>;
      failedAt?: number;
    };

/**
 * What this process knows of one partition. `keys` and `labels`: the rows held in memory (an
 * exact block's, or those above a graph); a graph's own labels are looked up in the table.
 * `caughtUpTo`: every committed row up to this label is in the structure (labels are handed
 * out in commit order, as SQLite has one writer at a time, so the rows above it are exactly
 * the ones not yet read). `seenVersion`: the file's
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
 * dimensions) before anything is written. Graphs are built in a worker thread, which saves
 * them to a file that the event loop maps in (usearch `view`) rather than reads; rows written
 * later are searched exactly beside the graph until a worker folds them into a new saved graph
 * (now and then, on `save()`, or when a thousand have piled up). The next open maps the saved
 * graph in again and takes in the rows above it, so semantic hits survive a restart without a
 * rebuild. Rows that are malformed (wrong length, non-finite values) are skipped and reported
 * through the file's warning listener.
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
    // Only in the file's own folder: a configured one may hold other cache files' recorded graphs.
    if (this.snapshotDirectory && options.snapshotDirectory === undefined)
      this.removeOrphanGraphs(this.snapshotDirectory);
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
    const fromGraph = this.searchGraph(loaded.name, structure.graph, vector, k);
    const recent = withKeys(loaded.keys, structure.recent.search(vector, k), k);
    return bestPerKey([...fromGraph, ...recent], k);
  }

  async delete(keys: string[]): Promise<void> {
    this.assertOpen();
    if (keys.length === 0) return;
    const removed = await this.file.write(() => this.removeRows(keys));
    // Also the keys whose rows another process already deleted: this process may still hold them.
    this.forgetKeys(keys);
    this.forgetGraphLabels(removed);
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
      for (;;) {
        const structure = loaded.structure;
        if (structure.kind === 'building' && structure.failedAt !== undefined)
          throw new CacheStoreError(`the graph of partition ${name.slice(0, 12)} failed to build`);
        if (structure.kind === 'building') await structure.done;
        else if (!this.canCatchUp(loaded) && structure.kind === 'approximate' && structure.merge)
          await structure.merge;
        else if (loaded.seenVersion !== this.file.changeCounter())
          this.catchUp(loaded, Number.POSITIVE_INFINITY);
        else break;
      }
    }
  }

  /**
   * Saves every graph that changed (rows added or deleted since it was saved) next to the SQLite
   * file, so the next open need not rebuild: a worker folds the changes into a new graph file.
   */
  async save(): Promise<void> {
    this.assertOpen();
    if (!this.snapshotDirectory) return;
    const merges: Array<Promise<void>> = [];
    for (const loaded of this.partitions.values()) {
      const structure = loaded.structure;
      if (structure.kind !== 'approximate') continue;
      if (structure.merge) merges.push(structure.merge);
      else if (
        structure.recent.size > 0 ||
        this.statements.hasTombstones.get(loaded.name, structure.maxLabel)
      )
        merges.push(this.mergeRecent(loaded, structure));
    }
    await Promise.all(merges);
  }

  /**
   * Closes, after a graph save in progress. A graph build still running is stopped (the next open
   * redoes it); rows written since the last saved graph are taken in by the next open.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    this.closing = true;
    try {
      for (const loaded of this.partitions.values())
        if (loaded.structure.kind === 'building') loaded.structure.build?.cancel();
      // A save in progress is finished; none is started: the next open takes in the rows above
      // the last saved graph (fewer than MERGE_FROM, or a merge would be running) from the file.
      await Promise.all(
        [...this.partitions.values()].map((loaded) =>
          loaded.structure.kind === 'approximate' ? loaded.structure.merge : undefined,
        ),
      );
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
   * Small partitions are read into an exact block. Large ones map their saved graph in and take
   * in the rows above it (a worker merges them when there are many); without a saved graph a
   * worker builds one while searches answer exactly (up to EXACT_FALLBACK_LIMIT vectors) or miss.
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
        this.startBuild(loaded, count <= EXACT_FALLBACK_LIMIT);
    }
    // Bounded: exact blocks, and the rows above a graph while a worker merges them, hold at most
    // EXACT_FALLBACK_LIMIT rows.
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

  /** Maps a saved graph in; false when it cannot be read. */
  private async reloadSnapshot(loaded: Partition, snapshot: Snapshot): Promise<boolean> {
    try {
      await this.viewGraph(loaded, snapshot.path, snapshot.maxLabel);
      return true;
    } catch (error) {
      this.file.warn({
        code: 'snapshot-unreadable',
        message: `rebuilding the vector graph: ${describe(error)}`,
      });
      return false;
    }
  }

  /**
   * Makes a saved graph the partition's structure, memory-mapped. Rows held in memory above it
   * (an exact block's, or those above the graph it replaces) stay beside it; the others are in it.
   */
  private async viewGraph(loaded: Partition, file: string, maxLabel: number): Promise<void> {
    const graph = await UsearchPartition.create(loaded.dimensions, this.settings);
    graph.view(file);
    const recent = this.rowsOutside(loaded, graph);
    loaded.structure = { kind: 'approximate', graph, file, maxLabel, recent };
    loaded.caughtUpTo = Math.max(loaded.caughtUpTo, maxLabel);
    loaded.seenVersion = undefined;
  }

  /** The in-memory rows the graph does not hold, in a new block; the keys of the others are dropped. */
  private rowsOutside(loaded: Partition, graph: UsearchPartition): ExactVectorBlock<number> {
    const recent = new ExactVectorBlock<number>(loaded.dimensions || 1, 16);
    const held = memoryBlock(loaded.structure);
    for (const [label, key] of loaded.keys) {
      const vector = graph.has(BigInt(label)) ? undefined : held?.vector(label);
      if (vector) recent.add(label, vector);
      else {
        loaded.keys.delete(label);
        if (loaded.labels.get(key) === label) loaded.labels.delete(key);
      }
    }
    return recent;
  }

  /**
   * Starts a graph build in a worker; until it ends, searches use an exact block of the
   * partition (when small enough) or miss. Databases in memory cannot be opened by a worker:
   * they build here.
   */
  private startBuild(loaded: Partition, withFallback: boolean): void {
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
    const target = this.snapshotPath(loaded.name);
    const build = this.graphWorker(loaded, target);
    const done = build.result
      .then((result) => this.adoptBuilt(loaded, result, target))
      .catch((error: unknown) => this.buildFailed(loaded, error, target));
    loaded.structure = { kind: 'building', fallback, build, done };
  }

  /** A worker that builds the partition's graph from `base` (or from nothing) and the rows above it. */
  private graphWorker(loaded: Partition, target: string, base?: Snapshot): GraphBuild {
    mkdirSync(this.snapshotDirectory as string, { recursive: true });
    return buildGraphInWorker({
      databasePath: this.file.path,
      partition: loaded.name,
      dimensions: loaded.dimensions,
      settings: this.settings,
      snapshot: base && { file: base.path, maxLabel: base.maxLabel },
      target,
    });
  }

  /** A database in memory: the graph is built on this thread, from every row of the partition. */
  private async buildHere(loaded: Partition): Promise<void> {
    const graph = await UsearchPartition.create(loaded.dimensions, this.settings);
    const recent = new ExactVectorBlock<number>(loaded.dimensions || 1, 16);
    loaded.structure = { kind: 'approximate', graph, maxLabel: 0, recent };
    loaded.keys = new Map();
    loaded.labels = new Map();
    loaded.caughtUpTo = 0;
    loaded.seenVersion = undefined;
    while (loaded.seenVersion !== this.file.changeCounter()) this.catchUp(loaded, Number.POSITIVE_INFINITY);
    this.mergeHere(loaded, loaded.structure);
  }

  /** Maps a graph a worker saved in and records it as the partition's snapshot. */
  private async adoptBuilt(loaded: Partition, result: GraphBuildResult, target: string): Promise<void> {
    if (this.closed || this.partitions.get(loaded.name) !== loaded) {
      removeQuietly(target);
      return;
    }
    if (result.skipped > 0)
      this.reportSkipped(loaded, result.skipped, result.firstProblem ?? 'malformed row');
    await this.viewGraph(loaded, target, result.maxLabel);
    await this.recordSnapshot(loaded, target, result.maxLabel).catch((error: unknown) =>
      this.file.warn({
        code: 'snapshot-failed',
        message: `graph not saved: ${describe(error)}`,
        cause: error,
      }),
    );
  }

  private buildFailed(loaded: Partition, error: unknown, target?: string): void {
    if (target) removeQuietly(target);
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

  /** An exact block grown large gets a graph; many rows above a graph are merged into it. */
  private promoteWhenLarge(loaded: Partition): void {
    const structure = loaded.structure;
    if (structure.kind === 'exact' && structure.block.size >= this.approximateFrom)
      this.startBuild(loaded, true);
    if (structure.kind !== 'approximate' || structure.recent.size < MERGE_FROM || structure.merge) return;
    const failedAt = structure.mergeFailedAt;
    if (failedAt === undefined || Date.now() - failedAt >= BUILD_RETRY_MS)
      void this.mergeRecent(loaded, structure);
  }

  /**
   * Folds the rows above the graph, and the deletions since it was saved, into a new graph: in a
   * worker that starts from the newest saved graph, or here for a database in memory. Until the
   * new graph is mapped in, searches use the old one and the rows above it.
   */
  private mergeRecent(loaded: Partition, structure: GraphStructure): Promise<void> {
    if (structure.merge) return structure.merge;
    if (!structure.file) {
      this.mergeHere(loaded, structure);
      return Promise.resolve();
    }
    structure.merge = this.mergeInWorker(loaded, structure)
      .catch((error: unknown) => this.mergeFailed(structure, error))
      .finally(() => {
        structure.merge = undefined;
      });
    return structure.merge;
  }

  private async mergeInWorker(loaded: Partition, structure: GraphStructure): Promise<void> {
    const base = this.mergeBase(loaded, structure);
    // Another process saved a graph holding every row this one holds: map it in, unless it was
    // replaced (and deleted) meanwhile.
    if (base && base.path !== structure.file && base.maxLabel >= loaded.caughtUpTo) {
      const viewed = await this.viewGraph(loaded, base.path, base.maxLabel).then(
        () => true,
        () => false,
      );
      if (viewed) return;
    }
    const target = this.snapshotPath(loaded.name);
    try {
      const result = await this.graphWorker(loaded, target, base).result;
      await this.adoptBuilt(loaded, result, target);
    } catch (error) {
      removeQuietly(target);
      throw error;
    }
  }

  /** The saved graph a merge starts from: the newest recorded one, or the one this process maps. */
  private mergeBase(loaded: Partition, structure: GraphStructure): Snapshot | undefined {
    const recorded = this.usableSnapshot(loaded.name, loaded.dimensions);
    if (recorded && recorded.maxLabel >= structure.maxLabel) return recorded;
    return structure.file && existsSync(structure.file)
      ? { path: structure.file, maxLabel: structure.maxLabel }
      : recorded;
  }

  private mergeFailed(structure: GraphStructure, error: unknown): void {
    structure.mergeFailedAt = Date.now();
    if (this.closed) return;
    this.file.warn({
      code: 'snapshot-failed',
      message: `graph not saved; newer rows are searched exactly: ${describe(error)}`,
      cause: error,
    });
  }

  /** A graph built here (a database in memory) takes the rows above it directly. */
  private mergeHere(loaded: Partition, structure: GraphStructure): void {
    const labels: number[] = [];
    const vectors: Float32Array[] = [];
    for (const label of loaded.keys.keys()) {
      const vector = structure.recent.vector(label);
      if (!vector) continue;
      labels.push(label);
      vectors.push(vector);
    }
    structure.graph.addMany(
      BigUint64Array.from(labels, (label) => BigInt(label)),
      vectors,
    );
    structure.recent = new ExactVectorBlock<number>(loaded.dimensions || 1, 16);
    structure.maxLabel = Math.max(structure.maxLabel, loaded.caughtUpTo);
    loaded.keys = new Map();
    loaded.labels = new Map();
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
    let skipped = 0;
    let firstProblem: string | undefined;
    for (;;) {
      const chunk = this.statements.rowsAfter.all(loaded.name, loaded.caughtUpTo, ROW_CHUNK) as Array<
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
      if (chunk.length < ROW_CHUNK) {
        loaded.seenVersion = version;
        break;
      }
      this.promoteWhenLarge(loaded);
      if (performance.now() - started >= budgetMs || !this.canCatchUp(loaded)) break;
    }
    if (skipped > 0) this.reportSkipped(loaded, skipped, firstProblem as string);
    this.promoteWhenLarge(loaded);
  }

  /**
   * False while a graph is built for a partition too large to search exactly in the meantime,
   * and while a worker merges the rows above a graph and EXACT_FALLBACK_LIMIT of them are held.
   */
  private canCatchUp(loaded: Partition): boolean {
    const structure = loaded.structure;
    if (structure.kind === 'building') return structure.fallback !== undefined;
    if (structure.kind === 'approximate')
      return structure.recent.size < EXACT_FALLBACK_LIMIT || structure.merge === undefined;
    return true;
  }

  /** Puts rows into the partition's in-memory block; rows it (or its graph) already holds are left. */
  private takeRows(loaded: Partition, rows: VectorRow[]): void {
    const structure = loaded.structure;
    const block = memoryBlock(structure);
    if (!block) return;
    for (const row of rows) {
      if (loaded.keys.get(row.label) === row.key && block.has(row.label)) continue;
      if (structure.kind === 'approximate' && structure.graph.has(BigInt(row.label))) continue;
      const previous = loaded.labels.get(row.key);
      if (previous !== undefined && previous !== row.label) this.forgetLabel(loaded, previous);
      loaded.keys.set(row.label, row.key);
      loaded.labels.set(row.key, row.label);
      block.add(row.label, row.vector);
    }
  }

  /**
   * The graph's nearest live rows with their keys, looked up in the table: a label whose row was
   * deleted is skipped, and more candidates are fetched while deleted ones crowd out the live.
   */
  private searchGraph(
    partition: string,
    graph: UsearchPartition,
    vector: Float32Array,
    k: number,
  ): VectorMatch[] {
    let wanted = (this.rescore ? k * this.oversample : k) + DEAD_LABEL_SLACK;
    for (;;) {
      const candidates = graph.search(vector, wanted);
      const matches = this.liveMatches(partition, candidates, vector);
      if (matches.length >= k || candidates.length < wanted || wanted >= MAX_GRAPH_CANDIDATES) return matches;
      wanted = Math.min(MAX_GRAPH_CANDIDATES, wanted * 4);
    }
  }

  /** Candidates whose row is still in the table, with its key; re-scored from it when `rescore`. */
  private liveMatches(
    partition: string,
    candidates: Array<{ label: bigint; similarity: number }>,
    vector: Float32Array,
  ): VectorMatch[] {
    const matches: VectorMatch[] = [];
    if (!this.rescore) {
      const keys = keysOf(
        this.statements,
        partition,
        candidates.map(({ label }) => Number(label)),
      );
      for (const { label, similarity } of candidates) {
        const key = keys.get(Number(label));
        if (key !== undefined) matches.push({ key, similarity });
      }
      return matches;
    }
    for (const candidate of candidates) {
      const row = this.statements.rowOf.get(Number(candidate.label), partition) as
        | { key: unknown; vector: unknown }
        | undefined;
      if (
        typeof row?.key === 'string' &&
        row.vector instanceof Uint8Array &&
        row.vector.byteLength === vector.length * 4
      )
        matches.push({ key: row.key, similarity: dot(fromBlob(row.vector), vector) });
    }
    return matches.sort((left, right) => right.similarity - left.similarity);
  }

  /**
   * Deletes rows by key, inside a write transaction; a saved graph gets a tombstone for each.
   * Returns the rows deleted.
   */
  private removeRows(keys: string[]): Array<{ label: number; partition: string }> {
    const removed: Array<{ label: number; partition: string }> = [];
    for (const key of keys) {
      const row = this.statements.labelOf.get(key) as { label: number; partition: string } | undefined;
      if (!row) continue;
      this.statements.deleteRow.run(row.label);
      if (this.statements.snapshotOf.get(row.partition))
        this.statements.addTombstone.run(row.partition, row.label);
      removed.push(row);
    }
    return removed;
  }

  private forgetKeys(keys: string[]): void {
    for (const loaded of this.partitions.values()) {
      for (const key of keys) {
        const label = loaded.labels.get(key);
        if (label !== undefined) this.forgetLabel(loaded, label);
      }
    }
  }

  /** Deleted rows held by a graph built here; a mapped graph keeps them until the next merge. */
  private forgetGraphLabels(rows: Array<{ label: number; partition: string }>): void {
    for (const row of rows) {
      const structure = this.partitions.get(row.partition)?.structure;
      if (structure?.kind === 'approximate' && !structure.file) structure.graph.remove(BigInt(row.label));
    }
  }

  private forgetLabel(loaded: Partition, label: number): void {
    const key = loaded.keys.get(label);
    loaded.keys.delete(label);
    if (key !== undefined && loaded.labels.get(key) === label) loaded.labels.delete(key);
    memoryBlock(loaded.structure)?.delete(label);
  }

  /**
   * Points the partition's snapshot row at a saved graph file, unless another process recorded
   * one that has seen more; the file it replaces is deleted (a process still mapping it keeps
   * reading it: the data stays until it is unmapped).
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
    if (!outcome.kept) removeQuietly(target);
    else if (outcome.replaced && outcome.replaced !== basename(target))
      removeQuietly(join(directory, outcome.replaced));
  }

  /** Graph files of saves that were killed before they were recorded (see `removeOrphanSnapshots`). */
  private removeOrphanGraphs(directory: string): void {
    try {
      const rows = this.statements.snapshotFiles.all() as Array<{ file: string }>;
      removeOrphanSnapshots(directory, new Set(rows.map((row) => row.file)));
    } catch {
      // A file another process holds locked: the next open sweeps.
    }
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

/** Matches from several sources: the best per key, best first. */
function bestPerKey(matches: VectorMatch[], k: number): VectorMatch[] {
  const best = new Map<string, number>();
  for (const { key, similarity } of matches) best.set(key, Math.max(similarity, best.get(key) ?? -Infinity));
  return [...best]
    .map(([key, similarity]) => ({ key, similarity }))
    .sort((left, right) => right.similarity - left.similarity)
    .slice(0, k);
}

/** The block of rows a structure holds in memory, if any. */
function memoryBlock(structure: Structure): ExactVectorBlock<number> | undefined {
  if (structure.kind === 'exact') return structure.block;
  return structure.kind === 'approximate' ? structure.recent : structure.fallback;
}

/** Deletes a file if it can: a snapshot another process replaced may be gone already or (on Windows) still open. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left for the next replacement of the snapshot to remove.
  }
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
