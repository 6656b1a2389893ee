import type { CacheWarning } from '@tokenomics/core';
import { Redis, type RedisOptions } from 'ioredis';

/** Default bound on every store call: a slow or unreachable server costs at most this per call. */
export const DEFAULT_REDIS_TIMEOUT_MS = 50;
/** How long `openRedisStores` waits for the first connection before carrying on without it. */
export const DEFAULT_REDIS_CONNECT_WAIT_MS = 2_000;

export type RedisConnectionOptions = {
  /** `redis://host:port/db`; ignored when `client` is given. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** An ioredis client you configured yourself; the stores then never close it. */
  client?: Redis;
  /** Bound on each store call in milliseconds. Default 50. */
  timeoutMs?: number;
  /** Called when the server goes away or comes back; default: console.warn. */
  onWarning?: (warning: CacheWarning) => void;
};

/**
 * A client that fails fast instead of queueing: commands issued while the server is down are
 * rejected at once (no offline queue), each command has a timeout, and the client keeps
 * reconnecting in the background, so the stores work again as soon as the server is back.
 */
export function createRedisClient(url: string, timeoutMs: number): Redis {
  const options: RedisOptions = {
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs * 4, 500),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    lazyConnect: false,
  };
  return new Redis(url, options);
}

/**
 * Reports the server going away once per outage (not once per failed reconnect) and its
 * return, so a dead server cannot flood the log. Returns a function that stops reporting.
 */
export function reportConnectionState(client: Redis, warn: (warning: CacheWarning) => void): () => void {
  let down = false;
  const onError = (error?: Error) => {
    if (down) return;
    down = true;
    warn({
      code: 'store-unavailable',
      message: `Redis is unreachable, calls go to the model until it is back: ${error?.message ?? 'connection closed'}`,
      cause: error,
    });
  };
  const onClose = () => onError();
  const onReady = () => {
    if (!down) return;
    down = false;
    warn({ code: 'store-reconnected', message: 'Redis is reachable again' });
  };
  client.on('error', onError);
  client.on('close', onClose);
  client.on('ready', onReady);
  return () => {
    client.off('error', onError);
    client.off('close', onClose);
    client.off('ready', onReady);
  };
}

/** Waits for the client to be ready, at most `waitMs`; false when it is not (the caller carries on). */
export function waitUntilReady(client: Redis, waitMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), waitMs);
    client.on('ready', onReady);
  });
}

export function defaultWarning(warning: CacheWarning): void {
  console.warn(`[tokenomics redis] ${warning.code}: ${warning.message}`);
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
