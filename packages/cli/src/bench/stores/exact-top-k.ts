/** Each query's exact top k by cosine (the vectors are unit length), fed one vector at a time. */
export class ExactTopK {
  private readonly flat: Float32Array;
  private readonly scores: Float64Array;
  private readonly labels: Int32Array;

  constructor(
    private readonly queries: readonly Float32Array[],
    private readonly k: number,
  ) {
    const dimensions = queries[0]?.length ?? 0;
    this.flat = new Float32Array(queries.length * dimensions);
    for (const [index, query] of queries.entries()) this.flat.set(query, index * dimensions);
    this.scores = new Float64Array(queries.length * k).fill(Number.NEGATIVE_INFINITY);
    this.labels = new Int32Array(queries.length * k).fill(-1);
  }

  offer(vector: Float32Array, label: number): void {
    const dimensions = vector.length;
    const k = this.k;
    for (let query = 0; query < this.queries.length; query++) {
      const offset = query * dimensions;
      let dot = 0;
      for (let position = 0; position < dimensions; position++)
        dot += (this.flat[offset + position] as number) * (vector[position] as number);
      const row = query * k;
      if (dot <= (this.scores[row + k - 1] as number)) continue;
      let slot = k - 1;
      while (slot > 0 && dot > (this.scores[row + slot - 1] as number)) {
        this.scores[row + slot] = this.scores[row + slot - 1] as number;
        this.labels[row + slot] = this.labels[row + slot - 1] as number;
        slot--;
      }
      this.scores[row + slot] = dot;
      this.labels[row + slot] = label;
    }
  }

  /**
   * Share of the exact top k found in the returned keys (`v<label>`, one list per query, in
   * query order), over all queries, with the counts it is made of.
   */
  recall(keys: readonly (readonly string[])[]): { recall: number; found: number; expected: number } {
    let found = 0;
    let expected = 0;
    for (let query = 0; query < this.queries.length; query++) {
      const returned = new Set(keys[query] ?? []);
      for (let slot = 0; slot < this.k; slot++) {
        const label = this.labels[query * this.k + slot] as number;
        if (label < 0) continue;
        expected++;
        if (returned.has(`v${label}`)) found++;
      }
    }
    return { recall: expected === 0 ? 0 : found / expected, found, expected };
  }
}
