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
import { describe } from './postgres-cache-store';
import type { PostgresRunner } from './postgres-runner';
import type { PostgresTables } from './postgres-schema';

export { MAX_UPDATE_ATTEMPTS } from '@tokenomics/core/internal';

export type PostgresBanditStateStoreOptions = {
  namespace: string;
  onWarning: (warning: CacheWarning) => void;
  onClose?: () => Promise<void>;
};

/**
 * Bandit statistics in one PostgreSQL table, shared by every process and machine. `update` is
 * optimistic: read the row and its version, apply, and write only if the version is unchanged
 * (`UPDATE … WHERE version = $v`, or an insert that fails on conflict); a lost race reads again
 * and re-applies, so no update is lost and no row lock is held while `apply` runs.
 */
export class PostgresBanditStateStore implements BanditStateStore {
  constructor(
    private readonly runner: PostgresRunner,
    private readonly tables: PostgresTables,
    private readonly options: PostgresBanditStateStoreOptions,
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
      compareAndSet: (next, version) => this.write(banditId, next, version),
    });
  }

  async delete(banditId: string): Promise<void> {
    await this.call('delete', `DELETE FROM ${this.tables.bandit} WHERE namespace = $1 AND bandit_id = $2`, [
      this.options.namespace,
      banditId,
    ]);
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  /** Writes if nobody wrote since `version` was read; false when someone did. */
  private async write(banditId: string, next: BanditSnapshot, version: string | undefined): Promise<boolean> {
    const encoded = encodeBanditSnapshot(next);
    const data = Buffer.from(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength);
    const params = [this.options.namespace, banditId, encoded.meta, data, next.updatedAt];
    const rows =
      version === undefined
        ? await this.call(
            'update',
            `INSERT INTO ${this.tables.bandit} (namespace, bandit_id, meta, data, version, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT (namespace, bandit_id) DO NOTHING RETURNING version`,
            params,
          )
        : await this.call(
            'update',
            `UPDATE ${this.tables.bandit} SET meta = $3, data = $4, updated_at = $5, version = version + 1
             WHERE namespace = $1 AND bandit_id = $2 AND version = $6 RETURNING version`,
            [...params, version],
          );
    return rows.length === 1;
  }

  /** The snapshot and its version; an unreadable snapshot is reported and treated as absent. */
  private async read(banditId: string): Promise<VersionedBanditSnapshot<string | undefined>> {
    const [row] = await this.call(
      'load',
      `SELECT meta, data, version FROM ${this.tables.bandit} WHERE namespace = $1 AND bandit_id = $2`,
      [this.options.namespace, banditId],
    );
    if (!row) return { snapshot: undefined, version: undefined };
    const stored = { meta: String(row.meta), data: new Uint8Array(row.data as Buffer) };
    return {
      snapshot: decodeStoredBanditSnapshot(banditId, stored, this.options.onWarning),
      version: String(row.version),
    };
  }

  private async call(operation: string, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return await this.runner.query(sql, params);
    } catch (error) {
      throw new BanditStateStoreError(`PostgreSQL bandit ${operation} failed: ${describe(error)}`, {
        cause: error,
      });
    }
  }
}
