import { loadOptionalModule } from './load-optional-module';

/** Element type the HNSW graph stores vectors in: f32 exact, f16 half the memory, i8 a quarter. */
export type VectorDtype = 'f32' | 'f16' | 'i8';

export type HnswOptions = {
  /**
   * Default: 'f16' (1 KB per 512-d vector, similarities within about 0.001). 'i8' halves that
   * again but is off by up to about 0.01; the SQLite index then re-scores from the file.
   */
  dtype?: VectorDtype;
  /** Graph degree (HNSW M). Default: 16. */
  connectivity?: number;
  /** Beam width while inserting (efConstruction). Default: 128. */
  expansionAdd?: number;
  /**
   * Beam width while searching (ef). Default: 128 (at 1M real question vectors, recall@10 0.991
   * at p50 0.52 ms, against 0.949 at 0.46 ms with 64: docs/benchmarks.md).
   */
  expansionSearch?: number;
  /** Threads for bulk inserts. Default: 2. */
  threads?: number;
};

export const DEFAULT_HNSW_OPTIONS: Required<HnswOptions> = {
  dtype: 'f16',
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 128,
  threads: 2,
};

type UsearchMatches = { keys: BigUint64Array; distances: Float32Array };
type UsearchIndex = {
  add(keys: bigint | BigUint64Array, vectors: Float32Array | Float32Array[], threads?: number): void;
  search(vector: Float32Array, k: number, threads: number): UsearchMatches;
  remove(keys: bigint | BigUint64Array): number | number[];
  contains(keys: bigint): boolean;
  size(): number;
  view(path: string): void;
};
type UsearchModule = {
  Index: new (config: {
    dimensions: number;
    metric: string;
    quantization: string;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
};

let usearchModule: Promise<UsearchModule> | undefined;

/** Loads usearch once; a missing package is a MissingOptionalDependencyError. */
export function loadUsearch(): Promise<UsearchModule> {
  usearchModule ??= loadOptionalModule<UsearchModule>('usearch', 'The approximate (HNSW) vector index').catch(
    (error) => {
      usearchModule = undefined;
      throw error;
    },
  );
  return usearchModule;
}

/**
 * One HNSW graph (usearch) over integer labels with cosine distance.
 *
 * Why usearch over hnswlib-node, measured on this project's 2-core machine at 100k x 512-d
 * (connectivity 16, ef 128/64): usearch i8 built in 29 s (2 threads), searched in 0.27 ms p50 /
 * 0.57 ms p99 with 103 MB; f16 40 s, 0.30 ms, 152 MB; f32 55 s, 0.57 ms, 276 MB. hnswlib-node
 * (f32 only, one thread from JS) took 150 s, 0.45 ms p50 / 4.7 ms p99, 237 MB. Quantized
 * storage is what makes 1M vectors fit in memory. The partitioned
 * indexes hold one per partition, so a search never crosses tenants, models or settings.
 */
export class UsearchPartition {
  private constructor(
    private readonly index: UsearchIndex,
    readonly dimensions: number,
    private readonly threads: number,
  ) {}

  static async create(dimensions: number, options: HnswOptions = {}): Promise<UsearchPartition> {
    const settings = { ...DEFAULT_HNSW_OPTIONS, ...options };
    const usearch = await loadUsearch();
    const index = new usearch.Index({
      dimensions,
      metric: 'cos',
      quantization: settings.dtype,
      connectivity: settings.connectivity,
      expansion_add: settings.expansionAdd,
      expansion_search: settings.expansionSearch,
      multi: false,
    });
    return new UsearchPartition(index, dimensions, settings.threads);
  }

  get size(): number {
    return this.index.size();
  }

  add(label: bigint, vector: Float32Array): void {
    // usearch refuses duplicate keys; replacing means removing first.
    if (this.index.contains(label)) this.index.remove(label);
    this.index.add(label, vector);
  }

  /** Bulk insert of new labels (not already present), using several threads. */
  addMany(labels: BigUint64Array, vectors: Float32Array[]): void {
    if (labels.length === 0) return;
    this.index.add(labels, vectors, this.threads);
  }

  has(label: bigint): boolean {
    return this.index.contains(label);
  }

  remove(label: bigint): void {
    if (this.index.contains(label)) this.index.remove(label);
  }

  search(vector: Float32Array, k: number): Array<{ label: bigint; similarity: number }> {
    if (this.index.size() === 0 || k <= 0) return [];
    const matches = this.index.search(vector, k, 1);
    const results: Array<{ label: bigint; similarity: number }> = [];
    for (let index = 0; index < matches.keys.length; index++) {
      results.push({
        label: matches.keys[index] as bigint,
        similarity: 1 - (matches.distances[index] as number),
      });
    }
    return results;
  }

  /**
   * Makes this (empty) graph a read-only view of a saved one, memory-mapped: no copy is read
   * into memory, so it takes a small fraction of a full load (100k x 512-d f16, 117 MB: 38-83 ms
   * against 0.8-1.1 s, `scripts/graph-file-timing.ts`), and the page cache shares the vectors
   * between processes. A viewed graph takes no adds or removes.
   */
  view(file: string): void {
    this.index.view(file);
  }
}
