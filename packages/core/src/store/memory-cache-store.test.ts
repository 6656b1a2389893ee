import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from './memory-cache-store';
import type { CacheEntryRecord } from './types';

function record(key: string, size = 10, extra: Partial<CacheEntryRecord> = {}): CacheEntryRecord {
  return {
    key,
    partition: 'p',
    scopeKey: 's',
    payload: 'x'.repeat(size),
    tags: [],
    createdAt: 0,
    size,
    ...extra,
  };
}

describe('MemoryCacheStore', () => {
  it('evicts least recently used entries beyond maxEntries and reports them', async () => {
    const store = new MemoryCacheStore({ maxEntries: 2 });
    await store.set(record('a'));
    await store.set(record('b'));
    await store.touch('a', 1);
    expect(await store.set(record('c'))).toEqual(['b']);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
  });

  it('evicts by bytes, keeping an oversized newcomer alone', async () => {
    const store = new MemoryCacheStore({ maxBytes: 25 });
    await store.set(record('a', 10));
    await store.set(record('b', 10));
    expect(await store.set(record('c', 10))).toEqual(['a']);
    expect(store.sizeInBytes).toBe(20);
    expect(await store.set(record('huge', 100))).toEqual(['b', 'c']);
    expect(await store.count()).toBe(1);
  });

  it('finds keys by tag and scope, and purges expired entries', async () => {
    const store = new MemoryCacheStore();
    await store.set(record('a', 1, { tags: ['t1'], scopeKey: 'tenant-a', expiresAt: 100 }));
    await store.set(record('b', 1, { tags: ['t1', 't2'], scopeKey: 'tenant-b' }));
    expect((await store.keysByTag('t1')).sort()).toEqual(['a', 'b']);
    expect(await store.keysByScope('tenant-a')).toEqual(['a']);
    expect(await store.purgeExpired(100)).toEqual(['a']);
    expect(await store.keysByTag('t1')).toEqual(['b']);
    await store.delete(['b']);
    expect(await store.count()).toBe(0);
    expect(store.sizeInBytes).toBe(0);
  });

  it('hands out copies: mutating a returned record does not change the store', async () => {
    const store = new MemoryCacheStore();
    await store.set(record('a', 1, { tags: ['t'] }));
    const copy = await store.get('a');
    copy?.tags.push('sneaky');
    expect((await store.get('a'))?.tags).toEqual(['t']);
  });
});
