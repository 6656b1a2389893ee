import { HashingEmbedder } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { runGptCacheSharedBench } from './gptcache-shared-bench';

describe('runGptCacheSharedBench', () => {
  it('stores every origin in one cache and scores each similar as right hit, wrong hit or miss', async () => {
    const records = [
      { origin: 'How do I reset my password?', similar: 'How do I reset my password?' },
      { origin: 'What is the capital of France?', similar: 'what is the capital of France' },
      { origin: 'How many legs does a spider have?', similar: 'Which planet is closest to the Sun?' },
    ];
    const result = await runGptCacheSharedBench(records, {
      embedder: new HashingEmbedder(),
      thresholds: [0.8],
    });
    const [point] = result.points;
    expect(point).toMatchObject({ threshold: 0.8, n: 3, wrongHits: 0 });
    expect(point!.rightHits + point!.wrongHits + point!.misses).toBe(3);
    // The exact repeat always comes back with its own answer; the unrelated question never hits.
    expect(point!.rightHits).toBeGreaterThanOrEqual(1);
    expect(point!.misses).toBeGreaterThanOrEqual(1);
  });
});
