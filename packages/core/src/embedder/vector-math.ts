/** Scales a vector to unit length in place; a zero vector stays zero. Returns the same array. */
export function l2Normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < vector.length; index++) vector[index] = vector[index]! * scale;
  return vector;
}

/** A unit-length copy of plain numbers, the form every embedder returns. */
export function toUnitVector(values: ArrayLike<number>): Float32Array {
  return l2Normalize(Float32Array.from(values as ArrayLike<number>));
}

/**
 * Cosine similarity. Embedders return unit vectors, so this is a dot product divided by norms
 * only to stay correct for vectors from elsewhere. Vectors of different lengths are not comparable.
 */
export function cosineSimilarity(left: Float32Array, right: Float32Array): number {
  if (left.length !== right.length) {
    throw new RangeError(`cannot compare vectors of ${left.length} and ${right.length} dimensions`);
  }
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    const a = left[index]!;
    const b = right[index]!;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  if (leftNorm === 0 || rightNorm === 0) return 0;
  return dot / Math.sqrt(leftNorm * rightNorm);
}
