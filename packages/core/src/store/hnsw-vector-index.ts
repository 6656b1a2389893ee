import type { VectorIndex, VectorMatch } from './types';
import { type HnswOptions, UsearchPartition } from './usearch-partition';

export type HnswVectorIndexOptions = HnswOptions & {
  /** Vector length; taken from the first vector added when omitted. */
  dimensions?: number;
};

/**
 * Approximate nearest-neighbour search in memory: one usearch HNSW graph per partition.
 * With dtype 'i8' or 'f16' the similarities it returns are those of the quantized vectors
 * (off by about 0.01); the SQLite index re-scores candidates against the exact vectors.
 * Needs the optional package `usearch`.
 */
export class HnswVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, UsearchPartition>();
  private readonly creating = new Map<string, Promise<UsearchPartition>>();
  private readonly labels = new Map<string, { partition: string; label: bigint }>();
  private readonly keysByLabel = new Map<bigint, string>();
  private nextLabel = 1n;

  constructor(private readonly options: HnswVectorIndexOptions = {}) {}

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    await this.addMany(partition, [{ key, vector }]);
  }

  /** Inserts many vectors at once (multi-threaded); much faster than one by one. */
  async addMany(partition: string, items: Array<{ key: string; vector: Float32Array }>): Promise<void> {
    if (items.length === 0) return;
    const graph = await this.partition(partition, (items[0] as { vector: Float32Array }).vector.length);
    for (const item of items) this.remove(item.key);
    const labels = new BigUint64Array(items.length);
    items.forEach((item, index) => {
      const label = this.nextLabel++;
      labels[index] = label;
      this.labels.set(item.key, { partition, label });
      this.keysByLabel.set(label, item.key);
    });
    if (items.length === 1) graph.add(labels[0] as bigint, (items[0] as { vector: Float32Array }).vector);
    else
      graph.addMany(
        labels,
        items.map((item) => item.vector),
      );
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const graph = this.partitions.get(partition);
    if (!graph) return [];
    const matches: VectorMatch[] = [];
    for (const { label, similarity } of graph.search(vector, k)) {
      const key = this.keysByLabel.get(label);
      if (key !== undefined) matches.push({ key, similarity });
    }
    return matches;
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove(key);
  }

  get size(): number {
    return this.labels.size;
  }

  private async partition(name: string, dimensions: number): Promise<UsearchPartition> {
    const graph = this.partitions.get(name);
    if (graph) return graph;
    // Two concurrent first inserts must share one graph, not race to create two.
    let pending = this.creating.get(name);
    if (!pending) {
      pending = UsearchPartition.create(this.options.dimensions ?? dimensions, this.options).then(
        (created) => {
          this.partitions.set(name, created);
          this.creating.delete(name);
          return created;
        },
      );
      pending.catch(() => this.creating.delete(name));
      this.creating.set(name, pending);
    }
    return pending;
  }

  private remove(key: string): void {
    const entry = this.labels.get(key);
    if (!entry) return;
    this.partitions.get(entry.partition)?.remove(entry.label);
    this.labels.delete(key);
    this.keysByLabel.delete(entry.label);
  }
}
