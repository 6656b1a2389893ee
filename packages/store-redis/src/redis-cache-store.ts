import type { CacheEntryRecord, CacheEntryStore, CacheWarning } from '@tokenomics/core';
import { CacheStoreError } from '@tokenomics/core';
import type { Redis } from 'ioredis';
import { readEntryRecord } from './read-entry-record';
import { describeError } from './redis-connection';
import {
  DELETE_ENTRIES_SCRIPT,
  LIVE_MEMBERS_SCRIPT,
  PURGE_EXPIRED_SCRIPT,
  SET_ENTRY_SCRIPT,
  TOUCH_SCRIPT,
} from './redis-entry-scripts';
import type { RedisKeys } from './redis-keys';
import { runScript } from './run-script';

/** Entries kept per namespace before the least recently used are evicted. */
export const DEFAULT_REDIS_MAX_ENTRIES = 1_000_000;

export type RedisCacheStoreOptions = {
  /** Most entries kept in the namespace; the least recently used go first. Default 1,000,000. */
  maxEntries?: number;
  onWarning: (warning: CacheWarning) => void;
  /** Runs on `close()` (e.g. quits the client the store owns). */
  onClose?: () => Promise<void>;
};

/**
 * Cache entries in Redis, shared by every process that uses the same namespace: one hash per
 * entry (expired by Redis at its TTL), sets by tag and by scope for invalidation, and a sorted
 * set by last use for LRU eviction. Writes are Lua scripts, so they are atomic.
 */
export class RedisCacheStore implements CacheEntryStore {
  private readonly maxEntries: number;

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisCacheStoreOptions,
  ) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_REDIS_MAX_ENTRIES));
  }

  async get(key: string): Promise<CacheEntryRecord | undefined> {
    const fields = await this.call('get', () => this.client.hgetall(this.keys.entry(key)));
    if (Object.keys(fields).length === 0) return undefined;
    const record = readEntryRecord(key, fields);
    if (typeof record === 'object') return record;
    this.options.onWarning({
      code: 'malformed-entry',
      message: `skipped malformed Redis entry ${key.slice(0, 12)}: ${record}`,
    });
    await this.delete([key]).catch(() => undefined);
    return undefined;
  }

  async set(record: CacheEntryRecord): Promise<string[]> {
    const evicted = await this.call('set', () =>
      runScript(this.client, SET_ENTRY_SCRIPT, [
        this.keys.prefix,
        record.key,
        record.partition,
        record.scopeKey,
        record.payload,
        JSON.stringify(record.tags),
        record.createdAt,
        record.expiresAt ?? '',
        record.size,
        this.maxEntries,
        Date.now(),
      ]),
    );
    return Array.isArray(evicted) ? evicted.map(String) : [];
  }

  async touch(key: string, now: number): Promise<void> {
    await this.call('touch', () => runScript(this.client, TOUCH_SCRIPT, [this.keys.prefix, key, now]));
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', () =>
      runScript(this.client, DELETE_ENTRIES_SCRIPT, [this.keys.prefix, ...keys]),
    );
  }

  keysByTag(tag: string): Promise<string[]> {
    return this.liveMembers(`${this.keys.prefix}t:${tag}`);
  }

  keysByScope(scopeKey: string): Promise<string[]> {
    return this.liveMembers(`${this.keys.prefix}s:${scopeKey}`);
  }

  async purgeExpired(now: number): Promise<string[]> {
    const expired = await this.call('purge', () =>
      runScript(this.client, PURGE_EXPIRED_SCRIPT, [this.keys.prefix, now]),
    );
    return Array.isArray(expired) ? expired.map(String) : [];
  }

  /** Entries in the namespace, including expired ones not yet purged. */
  count(): Promise<number> {
    return this.call('count', () => this.client.zcard(this.keys.recency));
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  private async liveMembers(set: string): Promise<string[]> {
    const members = await this.call('invalidate', () =>
      runScript(this.client, LIVE_MEMBERS_SCRIPT, [this.keys.prefix, set]),
    );
    return Array.isArray(members) ? members.map(String) : [];
  }

  /** Every failure (server down, timeout) becomes a CacheStoreError the engine treats as a miss. */
  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new CacheStoreError(`Redis ${operation} failed: ${describeError(error)}`, { cause: error });
    }
  }
}
