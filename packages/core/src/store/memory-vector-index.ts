import { ExactVectorBlock } from './exact-vector-block';
import type { VectorIndex, VectorMatch } from './types';

/**
 * Exact cosine search by brute force, one contiguous block per partition. Each lookup scans
 * only its partition, so it stays fast for the small sets an in-memory cache holds
 * (about 1 ms per 5,000 vectors of 512 dimensions).
 */
export class MemoryVectorIndex implements VectorIndex {
  private readonly partitions = new Map<string, ExactVectorBlock<string>>();
  private readonly partitionOf = new Map<string, string>();

  async add(partition: string, key: string, vector: Float32Array): Promise<void> {
    const previous = this.partitionOf.get(key);
    if (previous !== undefined && previous !== partition) this.remove(key);
    let block = this.partitions.get(partition);
    if (!block) {
      block = new ExactVectorBlock<string>(vector.length);
      this.partitions.set(partition, block);
    }
    block.add(key, vector);
    this.partitionOf.set(key, partition);
  }

  async search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]> {
    const block = this.partitions.get(partition);
    if (!block) return [];
    return block.search(vector, k).map(({ label, similarity }) => ({ key: label, similarity }));
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove(key);
  }

  /** Number of vectors held, over all partitions. */
  get size(): number {
    return this.partitionOf.size;
  }

  private remove(key: string): void {
    const partition = this.partitionOf.get(key);
    if (partition === undefined) return;
    const block = this.partitions.get(partition);
    block?.delete(key);
    if (block && block.size === 0) this.partitions.delete(partition);
    this.partitionOf.delete(key);
  }
}
