import {
  type BanditSnapshot,
  type BanditStateStore,
  BanditStateStoreError,
  type CacheWarning,
} from '@tokenomics/core';
import { decodeBanditSnapshot, encodeBanditSnapshot } from '@tokenomics/core/internal';
import type { Redis } from 'ioredis';
import { describeError } from './redis-connection';
import type { RedisKeys } from './redis-keys';
import { runScript } from './run-script';

/** Attempts of one update when other processes keep winning the race; then it fails (typed). */
export const MAX_UPDATE_ATTEMPTS = 25;

/**
 * ARGV: key, expected version ('' when the snapshot did not exist), meta, data. Writes only when
 * nobody wrote since the read; returns 1 when written, 0 on a conflict.
 */
const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('HGET', ARGV[1], 'version')
if (current or '') ~= ARGV[2] then return 0 end
redis.call('HSET', ARGV[1], 'meta', ARGV[3], 'data', ARGV[4], 'version', tostring((tonumber(current) or 0) + 1))
return 1
`;

export type RedisBanditStateStoreOptions = {
  onWarning: (warning: CacheWarning) => void;
  onClose?: () => Promise<void>;
};

type StoredState = { snapshot: BanditSnapshot | undefined; version: string };

/**
 * Bandit statistics in Redis, one hash per bandit, shared by every process. `update` is an
 * optimistic transaction: read the snapshot and its version, apply, and write with a Lua
 * compare-and-set that succeeds only if nobody wrote in between; on a conflict it reads again
 * and re-applies. No update is ever lost, and no lock is held while `apply` runs.
 */
export class RedisBanditStateStore implements BanditStateStore {
  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisBanditStateStoreOptions,
  ) {}

  async load(banditId: string): Promise<BanditSnapshot | undefined> {
    return (await this.read(banditId)).snapshot;
  }

  async update(
    banditId: string,
    apply: (current: BanditSnapshot | undefined) => BanditSnapshot,
  ): Promise<BanditSnapshot> {
    const key = this.keys.bandit(banditId);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const { snapshot, version } = await this.read(banditId);
      const next = apply(snapshot);
      const encoded = encodeBanditSnapshot(next);
      const data = Buffer.from(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength);
      const written = await this.call('update', () =>
        runScript(this.client, COMPARE_AND_SET_SCRIPT, [
          key,
          version,
          encoded.meta,
          data as unknown as string,
        ]),
      );
      if (Number(written) === 1) return next;
      await pause(Math.random() * 2 * (attempt + 1));
    }
    throw new BanditStateStoreError(
      `bandit ${banditId}: ${MAX_UPDATE_ATTEMPTS} attempts lost the race to other writers`,
    );
  }

  async delete(banditId: string): Promise<void> {
    await this.call('delete', () => this.client.del(this.keys.bandit(banditId)));
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  /** The snapshot and its version; an unreadable snapshot is reported and treated as absent. */
  private async read(banditId: string): Promise<StoredState> {
    const [meta, data, version] = await this.call('load', () =>
      this.client.hmgetBuffer(this.keys.bandit(banditId), 'meta', 'data', 'version'),
    );
    const versionText = version?.toString() ?? '';
    if (!meta || !data) return { snapshot: undefined, version: versionText };
    try {
      return { snapshot: decodeBanditSnapshot(meta.toString(), new Uint8Array(data)), version: versionText };
    } catch (error) {
      this.options.onWarning({
        code: 'malformed-bandit-state',
        message: `bandit ${banditId}: stored statistics are unreadable, starting afresh: ${describeError(error)}`,
        cause: error,
      });
      return { snapshot: undefined, version: versionText };
    }
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new BanditStateStoreError(`Redis bandit ${operation} failed: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
