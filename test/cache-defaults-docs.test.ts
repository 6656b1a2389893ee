import { readFileSync } from 'node:fs';
import {
  DEFAULT_SIMILARITY_THRESHOLD,
  DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER,
  readVerifierModel,
  shippedModelFile,
} from '@tokenomics/core';
import { describe, expect, it } from 'vitest';

/** docs/cache.md states the cache's thresholds once; they must be what the code and the shipped model use. */
describe('the cache defaults in docs/cache.md', () => {
  const docs = readFileSync(new URL('../docs/cache.md', import.meta.url), 'utf8');
  const stated = (name: string): number => {
    const row = docs.split('\n').find((line) => line.includes(`\`${name}\``) && line.startsWith('|'));
    const value = row?.match(/\|\s*\*\*([0-9.]+)\*\*\s*\|/)?.[1];
    if (value === undefined) throw new Error(`docs/cache.md has no defaults row for ${name}`);
    return Number(value);
  };

  it('states the similarity floors the engine uses', () => {
    expect(stated('DEFAULT_SIMILARITY_THRESHOLD')).toBe(DEFAULT_SIMILARITY_THRESHOLD);
    expect(stated('DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER')).toBe(
      DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER,
    );
  });

  it('states the shipped verifier threshold, and the engine floor is the one the verifier was tuned with', () => {
    const model = readVerifierModel(shippedModelFile('meta.json'));
    expect(stated('verifier threshold')).toBe(model.threshold);
    expect(model.recommended.similarityThreshold).toBe(DEFAULT_SIMILARITY_THRESHOLD);
  });

  it('names no other value for them anywhere in the docs or package READMEs', () => {
    for (const file of [
      '../docs/cache.md',
      '../README.md',
      '../packages/langchain-cache/README.md',
      '../packages/ai-sdk/README.md',
    ]) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/similarity (?:floor|threshold)[^|\n]{0,40}\b0\.\d+/i);
    }
  });
});
