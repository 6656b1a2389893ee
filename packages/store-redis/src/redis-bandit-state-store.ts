import {
  type BanditSnapshot,
  type BanditStateStore,
  BanditStateStoreError,
  type CacheWarning,
} from '@tokenomics/core';
import {
  decodeStoredBanditSnapshot,
  encodeBanditSnapshot,
  updateBanditOptimistically,
  type VersionedBanditSnapshot,
} from '@tokenomics/core/internal';
import type { Redis } from 'ioredis';
import { describeError } from './redis-connection';
import type { RedisKeys } from './redis-keys';
import { runScript } from './run-script';

export { MAX_UPDATE_ATTEMPTS } from '@tokenomics/core/internal';

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
    return updateBanditOptimistically(banditId, apply, {
      read: () => this.read(banditId),
      compareAndSet: (next, version) => this.compareAndSet(banditId, next, version),
    });
  }

  async delete(banditId: string): Promise<void> {
    await this.call('delete', () => this.client.del(this.keys.bandit(banditId)));
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  /** Writes if nobody wrote since `version` was read; false when someone did. */
  private async compareAndSet(banditId: string, next: BanditSnapshot, version: string): Promise<boolean> {
    const encoded = encodeBanditSnapshot(next);
    const data = Buffer.from(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength);
    const written = await this.call('update', () =>
      runScript(this.client, COMPARE_AND_SET_SCRIPT, [
        this.keys.bandit(banditId),
        version,
        encoded.meta,
        data as unknown as string,
      ]),
    );
    return Number(written) === 1;
  }

  /** The snapshot and its version; an unreadable snapshot is reported and treated as absent. */
  private async read(banditId: string): Promise<VersionedBanditSnapshot<string>> {
    const [meta, data, version] = await this.call('load', () =>
      this.client.hmgetBuffer(this.keys.bandit(banditId), 'meta', 'data', 'version'),
    );
    const versionText = version?.toString() ?? '';
    if (!meta || !data) return { snapshot: undefined, version: versionText };
    const stored = { meta: meta.toString(), data: new Uint8Array(data) };
    return {
      snapshot: decodeStoredBanditSnapshot(banditId, stored, this.options.onWarning),
      version: versionText,
    };
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
