import type { CacheEntryRecord, CacheEntryStore } from './types';

export type MemoryCacheStoreOptions = {
  /** Most entries kept; the least recently used go first. Default: 10,000. */
  maxEntries?: number;
  /** Most payload bytes kept. Default: 256 MB. */
  maxBytes?: number;
};

export const DEFAULT_MEMORY_MAX_ENTRIES = 10_000;
export const DEFAULT_MEMORY_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Entries in a Map whose insertion order is the recency order: a touch moves an entry to the
 * end, eviction takes from the front. Payloads are strings, so a caller can never mutate a
 * stored answer through a shared object.
 */
export class MemoryCacheStore implements CacheEntryStore {
  private readonly entries = new Map<string, CacheEntryRecord>();
  private readonly tagIndex = new Map<string, Set<string>>();
  private readonly scopeIndex = new Map<string, Set<string>>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;

  constructor(options: MemoryCacheStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MEMORY_MAX_ENTRIES;
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMORY_MAX_BYTES;
  }

  async get(key: string): Promise<CacheEntryRecord | undefined> {
    const record = this.entries.get(key);
    return record ? { ...record, tags: [...record.tags] } : undefined;
  }

  /** No copy: the engine only reads it, and the payload is an immutable string. */
  getSync(key: string): CacheEntryRecord | undefined {
    return this.entries.get(key);
  }

  async set(record: CacheEntryRecord): Promise<string[]> {
    this.remove(record.key);
    const copy = { ...record, tags: [...record.tags] };
    this.entries.set(copy.key, copy);
    this.bytes += copy.size;
    addToIndex(this.scopeIndex, copy.scopeKey, copy.key);
    for (const tag of copy.tags) addToIndex(this.tagIndex, tag, copy.key);
    return this.evict(copy.key);
  }

  /** Recency is the Map's order, so the time is not needed. */
  async touch(key: string, _now?: number): Promise<void> {
    this.touchSync(key);
  }

  touchSync(key: string, _now?: number): void {
    const record = this.entries.get(key);
    if (!record) return;
    this.entries.delete(key);
    this.entries.set(key, record);
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.remove(key);
  }

  async keysByTag(tag: string): Promise<string[]> {
    return [...(this.tagIndex.get(tag) ?? [])];
  }

  async keysByScope(scopeKey: string): Promise<string[]> {
    return [...(this.scopeIndex.get(scopeKey) ?? [])];
  }

  async purgeExpired(now: number): Promise<string[]> {
    const expired: string[] = [];
    for (const record of this.entries.values()) {
      if (record.expiresAt !== undefined && record.expiresAt <= now) expired.push(record.key);
    }
    for (const key of expired) this.remove(key);
    return expired;
  }

  async count(): Promise<number> {
    return this.entries.size;
  }

  /** Payload bytes currently held. */
  get sizeInBytes(): number {
    return this.bytes;
  }

  private evict(justAdded: string): string[] {
    const evicted: string[] = [];
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      // An entry larger than the whole budget is still kept alone rather than thrashing.
      if (key === justAdded) break;
      evicted.push(key);
      // Deleting the current key while iterating a Map is safe: iteration continues with the next.
      this.remove(key);
    }
    return evicted;
  }

  private remove(key: string): void {
    const record = this.entries.get(key);
    if (!record) return;
    this.entries.delete(key);
    this.bytes -= record.size;
    removeFromIndex(this.scopeIndex, record.scopeKey, key);
    for (const tag of record.tags) removeFromIndex(this.tagIndex, tag, key);
  }
}

function addToIndex(index: Map<string, Set<string>>, name: string, key: string): void {
  let keys = index.get(name);
  if (!keys) {
    keys = new Set();
    index.set(name, keys);
  }
  keys.add(key);
}

function removeFromIndex(index: Map<string, Set<string>>, name: string, key: string): void {
  const keys = index.get(name);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(name);
}
