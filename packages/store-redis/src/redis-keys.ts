/**
 * Every Redis key the stores use, under one prefix per namespace (`tokenomics:{namespace}:`),
 * so several caches (or several apps) share a server without seeing each other's entries.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(namespace: string, keyPrefix = 'tokenomics') {
    if (!namespace) throw new Error('a Redis namespace must not be empty');
    this.prefix = `${keyPrefix}:${namespace}:`;
  }

  /** Hash of one cache entry. */
  entry(key: string): string {
    return `${this.prefix}e:${key}`;
  }
  /** Sorted set of entry keys by last use (LRU). */
  get recency(): string {
    return `${this.prefix}lru`;
  }
  /** Sorted set of entry keys by expiry time. */
  get expiries(): string {
    return `${this.prefix}exp`;
  }
  /** Hash of every vector: key → [partition, base64 float32]. */
  get vectors(): string {
    return `${this.prefix}vec`;
  }
  /** Stream of vector changes every process applies to its own index. */
  get vectorLog(): string {
    return `${this.prefix}vec-log`;
  }
  /** Counter numbering the vector changes, so a reader can tell it missed some. */
  get vectorSequence(): string {
    return `${this.prefix}vec-seq`;
  }
  bandit(banditId: string): string {
    return `${this.prefix}bandit:${banditId}`;
  }
  /** Lock and answer slot of a call in flight (request coalescing). */
  lock(key: string): string {
    return `${this.prefix}lock:${key}`;
  }
  answer(key: string): string {
    return `${this.prefix}answer:${key}`;
  }
}
