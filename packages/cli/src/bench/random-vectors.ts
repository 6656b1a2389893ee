import { seededUniform } from './seeded-uniform';
/**
 * Reproducible random unit vectors for index benchmarks: vector `i` of a seed is always the
 * same, so a query "near entry i" can be regenerated without keeping a million vectors around.
 */
export function randomUnitVector(dimensions: number, seed: number, index: number): Float32Array {
  const next = seededUniform(mix(seed, index));
  const vector = new Float32Array(dimensions);
  let sum = 0;
  for (let position = 0; position < dimensions; position += 2) {
    // Box-Muller: Gaussian coordinates make the direction uniform on the sphere.
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    const first = radius * Math.cos(angle);
    vector[position] = first;
    sum += first * first;
    if (position + 1 < dimensions) {
      const second = radius * Math.sin(angle);
      vector[position + 1] = second;
      sum += second * second;
    }
  }
  const scale = 1 / Math.sqrt(sum);
  for (let position = 0; position < dimensions; position++) vector[position] = vector[position]! * scale;
  return vector;
}

/**
 * A unit vector at a chosen cosine similarity to `base`: base·s + (random orthogonal)·√(1−s²).
 * Models a paraphrase of a stored question.
 */
export function nearbyUnitVector(
  base: Float32Array,
  similarity: number,
  seed: number,
  index: number,
): Float32Array {
  const noise = randomUnitVector(base.length, seed ^ 0x5bd1e995, index);
  let dot = 0;
  for (let position = 0; position < base.length; position++) dot += noise[position]! * base[position]!;
  let norm = 0;
  for (let position = 0; position < base.length; position++) {
    noise[position] = noise[position]! - dot * base[position]!;
    norm += noise[position]! * noise[position]!;
  }
  const orthogonalScale = Math.sqrt(Math.max(0, 1 - similarity * similarity)) / Math.sqrt(norm);
  const vector = new Float32Array(base.length);
  for (let position = 0; position < base.length; position++) {
    vector[position] = similarity * base[position]! + orthogonalScale * noise[position]!;
  }
  return vector;
}

function mix(seed: number, index: number): number {
  let value = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  value = Math.imul(value ^ (value >>> 16), 0x85ebca6b) >>> 0;
  value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35) >>> 0;
  return (value ^ (value >>> 16)) >>> 0;
}
