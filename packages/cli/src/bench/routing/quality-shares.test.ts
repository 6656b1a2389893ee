import { describe, expect, it } from 'vitest';
import { qualityShares } from './quality-shares';
import type { ReplayRecord } from './replay-record';

const record = (id: string, outcomes: Record<string, number>): ReplayRecord => ({
  id,
  prompt: id,
  models: Object.fromEntries(Object.entries(outcomes).map(([model, correct]) => [model, { correct }])),
});

describe('qualityShares', () => {
  it("gives each model's quality as a share of the reference's, on the records both answered", () => {
    const records = [
      record('a', { strong: 1, cheap: 1, other: 0 }),
      record('b', { strong: 1, cheap: 0, other: 1 }),
      record('c', { strong: 0, cheap: 1 }),
      record('d', { strong: 1, cheap: 1, other: 1 }),
    ];
    // cheap: 3 right against the reference's 3; other: 2 against 3 on the rows it answered.
    expect(qualityShares(records, ['strong', 'cheap', 'other', 'absent'], 'strong')).toEqual({
      cheap: 1,
      other: 0.6667,
    });
  });
});
