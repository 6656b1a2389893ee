import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { SemanticCache } from './semantic-cache';
import type { SemanticCacheOptions } from './types';

const stored = 'What is the best way to learn Python quickly for data analysis?';
const close = 'What is the best way to learn Python fast for data analysis?';

async function cacheWith(options: Partial<SemanticCacheOptions>) {
  const cache = new SemanticCache({
    embedder: new HashingEmbedder(),
    verifier: false,
    // Strict enough that the paraphrase is not served: only the near-match option can surface it.
    threshold: 0.995,
    onWarning: () => {},
    ...options,
  });
  await cache.store(chatRequest(stored), textAnswer('Start with pandas tutorials.'));
  return cache;
}

describe('near-match context (SemanticCache nearMatch option)', () => {
  it('returns the close stored question and its answer with the miss, never as a hit', async () => {
    const cache = await cacheWith({ nearMatch: { minSimilarity: 0.5 } });
    const lookup = await cache.lookup(chatRequest(close));
    expect(lookup.status).toBe('miss');
    if (lookup.status !== 'miss') return;
    expect(lookup.nearMatch?.query).toBe(stored);
    expect(lookup.nearMatch?.response.content).toEqual([
      { type: 'text', text: 'Start with pandas tutorials.' },
    ]);
    expect(lookup.nearMatch?.similarity).toBeGreaterThanOrEqual(0.5);
  });

  it('never hands another scope’s question and answer over', async () => {
    const cache = await cacheWith({ nearMatch: { minSimilarity: 0.1 } });
    const lookup = await cache.lookup(chatRequest(close, { scope: { tenant: 'other' } }));
    expect(lookup.status).toBe('miss');
    expect(lookup.status === 'miss' && lookup.nearMatch).toBeFalsy();
  });

  it('is off by default and respects its similarity floor', async () => {
    const off = await cacheWith({});
    const plain = await off.lookup(chatRequest(close));
    expect(plain.status === 'miss' && plain.nearMatch).toBeFalsy();
    const strict = await cacheWith({ nearMatch: { minSimilarity: 0.999 } });
    const far = await strict.lookup(chatRequest(close));
    expect(far.status === 'miss' && far.nearMatch).toBeFalsy();
  });
});
