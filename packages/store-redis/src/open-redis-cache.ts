import { SemanticCache, type SemanticCacheOptions, type VectorIndex } from '@tokenomics/core';
import type { Redis } from 'ioredis';
import { RedisCacheStore } from './redis-cache-store';
import {
  createRedisClient,
  DEFAULT_REDIS_CONNECT_WAIT_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  defaultWarning,
  type RedisConnectionOptions,
  reportConnectionState,
  waitUntilReady,
} from './redis-connection';
import { RedisInFlightAnswers } from './redis-in-flight-answers';
import { RedisKeys } from './redis-keys';
import { RedisVectorIndex } from './redis-vector-index';

export type OpenRedisCacheOptions = RedisConnectionOptions & {
  /** Entries of different namespaces never meet. Default 'default'. */
  namespace?: string;
  /** First part of every key. Default 'tokenomics'. */
  keyPrefix?: string;
  /** Most entries in the namespace (LRU beyond). Default 1,000,000. */
  maxEntries?: number;
  /** Vector changes kept in the shared stream. Default 100,000. */
  vectorLogLength?: number;
  /** The index each process searches; default an exact in-memory index. */
  localVectorIndex?: () => VectorIndex;
  /** How long to wait for the server and the shared vectors at start. Default 2,000 ms. */
  connectWaitMs?: number;
  /** How long a call waits for an identical call in flight in another process. Default 120,000 ms. */
  coalesceTimeoutMs?: number;
};

export type RedisCache = {
  store: RedisCacheStore;
  vectorIndex: RedisVectorIndex;
  /**
   * Cross-process request coalescing for the adapters' `coalesce` option: identical calls in
   * flight anywhere share one model call.
   */
  coalescer: RedisInFlightAnswers;
  client: Redis;
  /** Closes the client (when this call created it). */
  close(): Promise<void>;
};

/**
 * Opens the Redis entry store and the shared vector index of one namespace. When the server is
 * not reachable within `connectWaitMs` it still returns: every call fails fast (the cache then
 * calls the model) until the client, which keeps reconnecting, gets through.
 */
export async function openRedisCache(options: OpenRedisCacheOptions = {}): Promise<RedisCache> {
  const warn = options.onWarning ?? defaultWarning;
  const owned = options.client === undefined;
  const client =
    options.client ??
    createRedisClient(options.url ?? 'redis://127.0.0.1:6379', options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
  const stopReporting = reportConnectionState(client, warn);
  const keys = new RedisKeys(options.namespace ?? 'default', options.keyPrefix);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    stopReporting();
    if (owned) client.disconnect();
  };
  const store = new RedisCacheStore(client, keys, {
    maxEntries: options.maxEntries,
    onWarning: warn,
    onClose: close,
  });
  const vectorIndex = new RedisVectorIndex(client, keys, {
    logLength: options.vectorLogLength,
    localIndex: options.localVectorIndex,
    onWarning: warn,
  });
  const coalescer = new RedisInFlightAnswers(client, keys, {
    leaderTimeoutMs: options.coalesceTimeoutMs,
    onWarning: warn,
  });
  const waitMs = options.connectWaitMs ?? DEFAULT_REDIS_CONNECT_WAIT_MS;
  if (await waitUntilReady(client, waitMs)) {
    await vectorIndex.load().catch((error) =>
      warn({
        code: 'vector-load-failed',
        message: `shared vectors not loaded yet: ${String(error)}`,
        cause: error,
      }),
    );
  }
  return { store, vectorIndex, coalescer, client, close };
}

export type CreateRedisCacheOptions = Omit<SemanticCacheOptions, 'store' | 'vectorIndex'> &
  OpenRedisCacheOptions;

/** A `SemanticCache` whose entries and vectors are shared through Redis; `close()` closes the client. */
export async function createRedisCache(options: CreateRedisCacheOptions = {}): Promise<SemanticCache> {
  const {
    url,
    client,
    timeoutMs,
    namespace,
    keyPrefix,
    maxEntries,
    vectorLogLength,
    localVectorIndex,
    connectWaitMs,
    coalesceTimeoutMs: _coalesceTimeoutMs,
    ...cacheOptions
  } = options;
  const redis = await openRedisCache({
    url,
    client,
    timeoutMs,
    namespace,
    keyPrefix,
    maxEntries,
    vectorLogLength,
    localVectorIndex,
    connectWaitMs,
    onWarning: options.onWarning,
  });
  return new SemanticCache({ ...cacheOptions, store: redis.store, vectorIndex: redis.vectorIndex });
}
