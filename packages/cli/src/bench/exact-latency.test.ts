import { describe, expect, it } from 'vitest';
import { runExactLatency } from './exact-latency';

describe('runExactLatency', () => {
  it('times the same stored keys in every cache and through invoke()', async () => {
    const result = await runExactLatency({ prompts: 20, passes: 1 });
    expect(result.samplesPerCache).toBe(20);
    for (const summary of [...Object.values(result.lookup), ...Object.values(result.endToEnd)]) {
      expect(summary.n).toBe(20);
      expect(summary.p50Ms).toBeGreaterThan(0);
      expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    }
  });
});
