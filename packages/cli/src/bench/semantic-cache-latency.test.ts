import { describe, expect, it } from 'vitest';
import { runSemanticCacheLatency } from './semantic-cache-latency';

describe('runSemanticCacheLatency', () => {
  it('times the engine’s semantic path on stored entries, without the embedding', async () => {
    const result = await runSemanticCacheLatency({ entries: 200, queries: 20 });
    expect(result).toMatchObject({ entries: 200, queries: 20 });
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    // The reworded questions must be served, or the timing would be of the miss path.
    expect(result.hitRate).toBeGreaterThan(0.9);
  });
});
