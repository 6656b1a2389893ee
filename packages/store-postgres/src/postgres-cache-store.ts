import {
  type CacheEntryRecord,
  type CacheEntryStore,
  CacheStoreError,
  type CacheWarning,
} from '@tokenomics/core';
import type { PostgresRunner } from './postgres-runner';
import type { PostgresTables } from './postgres-schema';
import { fromSqlText, toSqlText } from './sql-text';

type EntryRow = {
  key: string;
  partition: string;
  scope_key: string;
  payload: string;
  tags: string[];
  created_at: string;
  expires_at: string | null;
  size: number;
};

export type PostgresCacheStoreOptions = {
  namespace: string;
  /** Most entries in the namespace; the least recently used go first. Default: no bound. */
  maxEntries?: number;
  onWarning: (warning: CacheWarning) => void;
  onClose?: () => Promise<void>;
};

/**
 * Cache entries in one PostgreSQL table, shared by every process and machine: tags in an
 * indexed array for invalidation, scope and expiry in indexed columns. With `maxEntries`, each
 * write evicts the least recently used entries beyond the bound (and reads mark use).
 */
export class PostgresCacheStore implements CacheEntryStore {
  constructor(
    private readonly runner: PostgresRunner,
    private readonly tables: PostgresTables,
    private readonly options: PostgresCacheStoreOptions,
  ) {}

  async get(key: string): Promise<CacheEntryRecord | undefined> {
    const [row] = await this.call(
      'get',
      `SELECT * FROM ${this.tables.entries} WHERE namespace = $1 AND key = $2`,
      [this.options.namespace, key],
    );
    if (!row) return undefined;
    const record = toRecord(row as EntryRow);
    if (typeof record === 'object') return record;
    this.options.onWarning({
      code: 'malformed-entry',
      message: `skipped malformed PostgreSQL entry ${key.slice(0, 12)}: ${record}`,
    });
    await this.delete([key]).catch(() => undefined);
    return undefined;
  }

  async set(record: CacheEntryRecord): Promise<string[]> {
    await this.call(
      'set',
      `INSERT INTO ${this.tables.entries}
         (namespace, key, partition, scope_key, payload, tags, created_at, expires_at, size, last_used)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (namespace, key) DO UPDATE SET partition = excluded.partition,
         scope_key = excluded.scope_key, payload = excluded.payload, tags = excluded.tags,
         created_at = excluded.created_at, expires_at = excluded.expires_at, size = excluded.size,
         last_used = excluded.last_used`,
      [
        this.options.namespace,
        record.key,
        record.partition,
        record.scopeKey,
        record.payload,
        record.tags.map(toSqlText),
        record.createdAt,
        record.expiresAt ?? null,
        record.size,
        Date.now(),
      ],
    );
    return this.evictBeyondBound(record.key);
  }

  async touch(key: string, now: number): Promise<void> {
    if (this.options.maxEntries === undefined) return;
    await this.call(
      'touch',
      `UPDATE ${this.tables.entries} SET last_used = $3 WHERE namespace = $1 AND key = $2`,
      [this.options.namespace, key, now],
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.call('delete', `DELETE FROM ${this.tables.entries} WHERE namespace = $1 AND key = ANY($2)`, [
      this.options.namespace,
      keys,
    ]);
  }

  async keysByTag(tag: string): Promise<string[]> {
    const rows = await this.call(
      'invalidate',
      `SELECT key FROM ${this.tables.entries} WHERE namespace = $1 AND tags @> ARRAY[$2]::text[]`,
      [this.options.namespace, toSqlText(tag)],
    );
    return rows.map((row) => row.key as string);
  }

  async keysByScope(scopeKey: string): Promise<string[]> {
    const rows = await this.call(
      'invalidate',
      `SELECT key FROM ${this.tables.entries} WHERE namespace = $1 AND scope_key = $2`,
      [this.options.namespace, scopeKey],
    );
    return rows.map((row) => row.key as string);
  }

  async purgeExpired(now: number): Promise<string[]> {
    const rows = await this.call(
      'purge',
      `DELETE FROM ${this.tables.entries} WHERE namespace = $1 AND expires_at <= $2 RETURNING key`,
      [this.options.namespace, now],
    );
    return rows.map((row) => row.key as string);
  }

  async count(): Promise<number> {
    const [row] = await this.call(
      'count',
      `SELECT count(*) AS n FROM ${this.tables.entries} WHERE namespace = $1`,
      [this.options.namespace],
    );
    return Number(row?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.options.onClose?.();
  }

  private async evictBeyondBound(written: string): Promise<string[]> {
    const bound = this.options.maxEntries;
    if (bound === undefined) return [];
    const rows = await this.call(
      'evict',
      `DELETE FROM ${this.tables.entries} WHERE namespace = $1 AND key IN (
         SELECT key FROM ${this.tables.entries} WHERE namespace = $1 AND key <> $2
         ORDER BY last_used ASC
         LIMIT GREATEST(0, (SELECT count(*) FROM ${this.tables.entries} WHERE namespace = $1) - $3))
       RETURNING key`,
      [this.options.namespace, written, bound],
    );
    return rows.map((row) => row.key as string);
  }

  private async call(operation: string, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return await this.runner.query(sql, params);
    } catch (error) {
      throw new CacheStoreError(`PostgreSQL ${operation} failed: ${describe(error)}`, { cause: error });
    }
  }
}

/** A record from a row, or why the row does not make one (it is then reported, never served). */
function toRecord(row: EntryRow): CacheEntryRecord | string {
  const createdAt = Number(row.created_at);
  const expiresAt = row.expires_at === null ? undefined : Number(row.expires_at);
  if (!Number.isFinite(createdAt) || (expiresAt !== undefined && !Number.isFinite(expiresAt)))
    return 'a time is not a number';
  if (!Array.isArray(row.tags) || typeof row.payload !== 'string')
    return 'tags or payload have the wrong type';
  return {
    key: row.key,
    partition: row.partition,
    scopeKey: row.scope_key,
    payload: row.payload,
    tags: row.tags.map(fromSqlText),
    createdAt,
    expiresAt,
    size: Number(row.size),
  };
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
