import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DatasetError, readLabelledPairs } from '../../datasets';
import { nearbyUnitVector } from '../random-vectors';
import { seededUniform } from '../seeded-uniform';

export type QqpVectorSet = {
  /** Held-out questions: never stored, neither as themselves nor perturbed. */
  queries: Float32Array[];
  /** The stored questions each entry is made from. */
  bases: Float32Array[];
  dimensions: number;
  /** Questions of the pairs file with no vector in the embedding file. */
  missing: number;
};

/**
 * The QQP questions' embeddings, read from a `bench cache --embedding-cache` file (records of a
 * 20-byte SHA-1 of the text, then `dimensions` float32 values), keeping only the questions of
 * `pairsFile` (the file may also hold other texts a run embedded). Questions are shuffled under
 * `seed`; the first `queries` are held out as queries, the rest are the stored bases.
 */
export async function readQqpVectors(options: {
  pairsFile: string;
  embeddingFile: string;
  dimensions: number;
  queries: number;
  seed: number;
}): Promise<QqpVectorSet> {
  const pairs = await readLabelledPairs(options.pairsFile);
  const questions = new Set(pairs.flatMap((pair) => [pair.a.trim(), pair.b.trim()]));
  const wanted = new Set([...questions].map((text) => createHash('sha1').update(text).digest('hex')));
  const bytes = readFileSync(options.embeddingFile);
  const recordSize = 20 + options.dimensions * 4;
  const found = new Map<string, Float32Array>();
  for (let offset = 0; offset + recordSize <= bytes.length; offset += recordSize) {
    const key = bytes.subarray(offset, offset + 20).toString('hex');
    if (!wanted.has(key) || found.has(key)) continue;
    const vector = new Float32Array(options.dimensions);
    new Uint8Array(vector.buffer).set(bytes.subarray(offset + 20, offset + recordSize));
    if (normalize(vector)) found.set(key, vector);
  }
  const vectors = [...found.values()];
  if (vectors.length <= options.queries)
    throw new DatasetError(
      `${options.embeddingFile} holds ${vectors.length} of the ${questions.size} questions: embed them first (bench cache --pairs ${options.pairsFile} --embedding-cache <folder>)`,
    );
  shuffle(vectors, options.seed);
  return {
    queries: vectors.slice(0, options.queries),
    bases: vectors.slice(options.queries),
    dimensions: options.dimensions,
    missing: questions.size - found.size,
  };
}

/**
 * Entry `index` of a store of clustered vectors: the base question `index mod bases` itself
 * for the first copy, a perturbed copy at cosine `similarity` to it for the others. The same
 * index always gives the same vector, so nothing needs keeping.
 */
export function entryVector(
  set: QqpVectorSet,
  index: number,
  similarity: number,
  seed: number,
): Float32Array {
  const base = set.bases[index % set.bases.length] as Float32Array;
  if (index < set.bases.length) return base;
  return nearbyUnitVector(base, similarity, seed, index);
}

function normalize(vector: Float32Array): boolean {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (!(sum > 0 && Number.isFinite(sum))) return false;
  const scale = 1 / Math.sqrt(sum);
  for (let position = 0; position < vector.length; position++) vector[position] = vector[position]! * scale;
  return true;
}

function shuffle<T>(items: T[], seed: number): void {
  const next = seededUniform(seed);
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
}
