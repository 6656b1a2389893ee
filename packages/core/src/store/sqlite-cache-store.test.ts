import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheStoreError } from '../cache/errors';
import { openSqliteCache } from './open-sqlite-cache';
import type { CacheEntryRecord } from './types';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-store-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function record(key: string, size: number, extra: Partial<CacheEntryRecord> = {}): CacheEntryRecord {
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

describe('SqliteCacheStore', () => {
  it('evicts by bytes in least-recently-used order and keeps the totals across a reopen', async () => {
    const path = join(directory, 'cache.db');
    const first = await openSqliteCache({ path, maxBytes: 300 });
    await first.store.set(record('a', 100, { createdAt: 1 }));
    await first.store.set(record('b', 100, { createdAt: 2 }));
    await first.store.touch('a', 3);
    expect(await first.store.set(record('c', 100, { createdAt: 4 }))).toEqual([]);
    expect(await first.store.set(record('d', 100, { createdAt: 5 }))).toEqual(['b']);
    await first.close();

    const second = await openSqliteCache({ path, maxBytes: 300 });
    expect(await second.store.count()).toBe(3);
    // The recency written before closing still decides: 'a' was touched after 'b' was written.
    expect(await second.store.set(record('e', 100, { createdAt: 6 }))).toEqual(['a']);
    await second.close();
  });

  it('finds keys by tag and scope, purges expired entries and refuses use after close', async () => {
    const sqlite = await openSqliteCache({ path: ':memory:' });
    await sqlite.store.set(record('a', 1, { tags: ['t1'], scopeKey: 'tenant-a', expiresAt: 100 }));
    await sqlite.store.set(record('b', 1, { tags: ['t1', 't2', 't2'], scopeKey: 'tenant-b' }));
    expect((await sqlite.store.keysByTag('t1')).sort()).toEqual(['a', 'b']);
    expect(await sqlite.store.keysByScope('tenant-a')).toEqual(['a']);
    expect((await sqlite.store.get('b'))?.tags.sort()).toEqual(['t1', 't2']);
    expect(await sqlite.store.purgeExpired(100)).toEqual(['a']);
    expect(await sqlite.store.keysByTag('t1')).toEqual(['b']);
    await sqlite.close();
    await expect(sqlite.store.get('b')).rejects.toSatisfy(CacheStoreError.isInstance);
  });
});
