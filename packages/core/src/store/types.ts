/**
 * Store contracts. The cache engine talks only to these; in-memory and SQLite implementations
 * live in core, shared-server ones (Redis, PostgreSQL) in their own packages.
 * Every method may throw (a store that is down); the engine treats a throw as a miss.
 */

/** One stored cache entry. `payload` is opaque serialized JSON, validated on read. */
export type CacheEntryRecord = {
  key: string;
  partition: string;
  scopeKey: string;
  payload: string;
  tags: string[];
  createdAt: number;
  /** Milliseconds since epoch; undefined means no expiry. */
  expiresAt?: number;
  /** Bytes of `payload`, for size-bounded eviction. */
  size: number;
};

export interface CacheEntryStore {
  get(key: string): Promise<CacheEntryRecord | undefined>;
  /**
   * Optional synchronous `get` for stores that hold entries in process memory: the engine's
   * exact-hit path then needs no `await`. The returned record must not be mutated by the caller.
   */
  getSync?(key: string): CacheEntryRecord | undefined;
  /**
   * Inserts or replaces. Implementations evict least recently used entries beyond their bounds
   * and return the evicted keys, so the engine can drop their vectors too.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores that never evict may keep returning Promise<void>.
  set(record: CacheEntryRecord): Promise<string[] | void>;
  /** Marks an entry as used now (LRU). */
  touch(key: string, now: number): Promise<void>;
  /** Optional synchronous `touch`, for the same reason as `getSync`. */
  touchSync?(key: string, now: number): void;
  delete(keys: string[]): Promise<void>;
  /** Keys of entries that carry any of the tags / belong to the scope. */
  keysByTag(tag: string): Promise<string[]>;
  keysByScope(scopeKey: string): Promise<string[]>;
  /** Removes expired entries; returns their keys so vectors can be dropped too. */
  purgeExpired(now: number): Promise<string[]>;
  count(): Promise<number>;
  close?(): Promise<void>;
}

export type VectorMatch = { key: string; similarity: number };

/**
 * Nearest-neighbour search over unit-length vectors by cosine similarity, partitioned so that
 * a search never returns a vector from another partition.
 */
export interface VectorIndex {
  add(partition: string, key: string, vector: Float32Array): Promise<void>;
  search(partition: string, vector: Float32Array, k: number): Promise<VectorMatch[]>;
  delete(keys: string[]): Promise<void>;
  close?(): Promise<void>;
}

/**
 * Something a store skipped or worked around without failing the call: a malformed row it
 * would not serve, a write it could not make, a graph it is rebuilding. Same shape as the
 * cache's warnings, so a cache's `onWarning` can take both.
 */
export type StoreWarning = { code: string; message: string; cause?: unknown };
