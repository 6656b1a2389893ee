import type { Embedder } from './embedder';
import { l2Normalize } from './vector-math';

export type HashingEmbedderOptions = {
  /** Vector length. Default 512. */
  dimensions?: number;
};

/**
 * A deterministic, dependency-free embedder: lower-cased words and character 3-grams hashed
 * into a fixed-size vector. It knows no synonyms, so it is a weak fallback and a test double
 * with real behaviour (similar wording gives similar vectors), not a semantic model.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(options: HashingEmbedderOptions = {}) {
    this.dimensions = Math.max(8, Math.floor(options.dimensions ?? 512));
    this.id = `hashing-words-3grams-${this.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const word of words) {
      // Whole words weigh more than any single 3-gram: they carry most of the meaning.
      this.add(vector, `w:${word}`, 2);
      const padded = ` ${word} `;
      for (let start = 0; start + 3 <= padded.length; start++)
        this.add(vector, `c:${padded.slice(start, start + 3)}`, 1);
    }
    return l2Normalize(vector);
  }

  private add(vector: Float32Array, feature: string, weight: number): void {
    const hash = fnv1a(feature);
    // The sign bit spreads collisions so they cancel out on average instead of piling up.
    const sign = hash & 0x80000000 ? -1 : 1;
    const index = (hash & 0x7fffffff) % this.dimensions;
    vector[index] = vector[index]! + sign * weight;
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
