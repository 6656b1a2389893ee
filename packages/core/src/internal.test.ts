import { describe, expect, it } from 'vitest';
import * as root from './index';
import * as internal from './internal';

describe('@tokenomics/core/internal', () => {
  it('is the same code as the root: every name it shares with the root is the same value', () => {
    const shared = Object.keys(internal).filter((name) => name in root);
    expect(shared.length).toBeGreaterThan(10);
    for (const name of shared)
      expect(internal[name as keyof typeof internal]).toBe(root[name as keyof typeof root]);
  });
});
