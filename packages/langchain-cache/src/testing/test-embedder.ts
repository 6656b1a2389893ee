import type { Embedder } from '@tokenomics/core';

/**
 * A deterministic bag-of-words embedder for tests: words are lower-cased, a few function words
 * and synonyms are folded, and each word is hashed into one of 256 dimensions. Paraphrases that
 * share their content words land close together; unrelated questions do not.
 */
export class TestWordEmbedder implements Embedder {
  readonly id = 'test-words-256';
  readonly dimensions = 256;

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  private embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (FUNCTION_WORDS.has(raw)) continue;
      const word = SYNONYMS[raw] ?? raw;
      const index = hash(word) % this.dimensions;
      vector[index] = (vector[index] ?? 0) + 1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }
}

const FUNCTION_WORDS = new Set([
  'a',
  'an',
  'the',
  'i',
  'do',
  'can',
  'how',
  'my',
  'please',
  'to',
  'is',
  'what',
  'me',
  'tell',
]);
const SYNONYMS: Record<string, string> = {
  change: 'reset',
  modify: 'reset',
  passcode: 'password',
  capital: 'capital',
};

function hash(word: string): number {
  let value = 2166136261;
  for (let index = 0; index < word.length; index++) {
    value ^= word.charCodeAt(index);
    value = Math.imul(value, 16777619) >>> 0;
  }
  return value;
}
