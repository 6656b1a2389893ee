import { describe, expect, it } from 'vitest';
import * as root from './index';
import * as internal from './internal';

describe('@tokenomics/core/internal', () => {
  it('holds what the root does not export: applications see only the public API', () => {
    const names = Object.keys(internal);
    expect(names).toEqual(expect.arrayContaining(['coalescerFor', 'encodeCacheEntry', 'scopeKey', 'LruMap']));
    expect(names.filter((name) => name in root)).toEqual([]);
  });

  it('gives the adapters working building blocks, not stubs', () => {
    const key = internal.scopeKey({ tenant: 'acme' });
    expect(key).toBe(internal.scopeKey({ tenant: 'acme' }));
    expect(key).not.toBe(internal.scopeKey({ tenant: 'other' }));
    const lru = new internal.LruMap<string, number>(1);
    lru.set('a', 1);
    lru.set('b', 2);
    expect([lru.get('a'), lru.get('b')]).toEqual([undefined, 2]);
  });
});
