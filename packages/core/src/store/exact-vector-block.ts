/**
 * Vectors of one partition in one contiguous Float32Array, searched by brute force.
 * Deletion swaps the last row into the hole, so the block stays dense.
 * Vectors are expected unit length, so the dot product is the cosine similarity.
 */
export class ExactVectorBlock<Label> {
  private data: Float32Array;
  private labels: Label[] = [];
  private readonly rowOf = new Map<Label, number>();

  constructor(
    private dimensionCount: number,
    private readonly initialCapacity = 64,
  ) {
    this.data = new Float32Array(dimensionCount * initialCapacity);
  }

  get dimensions(): number {
    return this.dimensionCount;
  }

  get size(): number {
    return this.labels.length;
  }

  has(label: Label): boolean {
    return this.rowOf.has(label);
  }

  add(label: Label, vector: Float32Array): void {
    if (this.labels.length === 0 && vector.length !== this.dimensionCount) {
      // An empty block takes the length of its first vector.
      this.dimensionCount = vector.length;
      this.data = new Float32Array(vector.length * this.initialCapacity);
    }
    if (vector.length !== this.dimensions) {
      throw new RangeError(`vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    }
    const existing = this.rowOf.get(label);
    const row = existing ?? this.labels.length;
    if (existing === undefined) {
      this.ensureCapacity(row + 1);
      this.labels.push(label);
      this.rowOf.set(label, row);
    }
    this.data.set(vector, row * this.dimensions);
  }

  delete(label: Label): boolean {
    const row = this.rowOf.get(label);
    if (row === undefined) return false;
    const last = this.labels.length - 1;
    const lastLabel = this.labels[last] as Label;
    if (row !== last) {
      this.data.copyWithin(row * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.labels[row] = lastLabel;
      this.rowOf.set(lastLabel, row);
    }
    this.labels.pop();
    this.rowOf.delete(label);
    return true;
  }

  vector(label: Label): Float32Array | undefined {
    const row = this.rowOf.get(label);
    if (row === undefined) return undefined;
    return this.data.slice(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** The k most similar rows, best first. */
  search(query: Float32Array, k: number): Array<{ label: Label; similarity: number }> {
    const dimensions = this.dimensions;
    if (query.length !== dimensions || k <= 0) return [];
    const data = this.data;
    const best: Array<{ row: number; similarity: number }> = [];
    for (let row = 0; row < this.labels.length; row++) {
      const offset = row * dimensions;
      let dot = 0;
      for (let index = 0; index < dimensions; index++)
        dot += (data[offset + index] as number) * (query[index] as number);
      if (best.length < k) {
        insertSorted(best, { row, similarity: dot });
      } else if (dot > (best[best.length - 1] as { similarity: number }).similarity) {
        best.pop();
        insertSorted(best, { row, similarity: dot });
      }
    }
    return best.map(({ row, similarity }) => ({ label: this.labels[row] as Label, similarity }));
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dimensions <= this.data.length) return;
    const grown = new Float32Array(
      Math.max(rows, (this.data.length / this.dimensions) * 2) * this.dimensions,
    );
    grown.set(this.data);
    this.data = grown;
  }
}

function insertSorted(
  list: Array<{ row: number; similarity: number }>,
  item: { row: number; similarity: number },
): void {
  let index = list.length;
  while (index > 0 && (list[index - 1] as { similarity: number }).similarity < item.similarity) index--;
  list.splice(index, 0, item);
}
