import { describe, expect, it } from 'vitest';
import * as root from './index';
import * as internal from './internal';

describe('@tokenomics/core/internal', () => {
  it('is the same code as the root: every name it shares with the root is the same value', () => {
    const rootValues = new Map(Object.entries(root));
    const shared = Object.entries(internal).filter(([name]) => rootValues.has(name));
    expect(shared.length).toBeGreaterThan(10);
    for (const [name, value] of shared) expect(value, name).toBe(rootValues.get(name));
  });
});
