import { RedisBanditStateStore } from './redis-bandit-state-store';
import {
  createRedisClient,
  DEFAULT_REDIS_CONNECT_WAIT_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  defaultWarning,
  type RedisConnectionOptions,
  reportConnectionState,
  waitUntilReady,
} from './redis-connection';
import { RedisKeys } from './redis-keys';

export type OpenRedisBanditStateStoreOptions = RedisConnectionOptions & {
  /** Bandits of different namespaces never share statistics. Default 'default'. */
  namespace?: string;
  keyPrefix?: string;
  connectWaitMs?: number;
};

/**
 * Bandit statistics shared by every process through Redis (pass it as a bandit policy's
 * `store`). Like the cache, it returns even when the server is down; updates then fail (the
 * router carries on with what it knows) until the client reconnects.
 */
export async function openRedisBanditStateStore(
  options: OpenRedisBanditStateStoreOptions = {},
): Promise<RedisBanditStateStore> {
  const warn = options.onWarning ?? defaultWarning;
  const owned = options.client === undefined;
  const client =
    options.client ??
    createRedisClient(options.url ?? 'redis://127.0.0.1:6379', options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
  const stopReporting = reportConnectionState(client, warn);
  await waitUntilReady(client, options.connectWaitMs ?? DEFAULT_REDIS_CONNECT_WAIT_MS);
  const keys = new RedisKeys(options.namespace ?? 'default', options.keyPrefix);
  let closed = false;
  return new RedisBanditStateStore(client, keys, {
    onWarning: warn,
    onClose: async () => {
      if (closed) return;
      closed = true;
      stopReporting();
      if (owned) client.disconnect();
    },
  });
}
