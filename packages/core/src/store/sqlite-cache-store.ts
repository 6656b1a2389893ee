import { CacheStoreError } from '../cache/errors';
import type { SqliteCacheFile, SqliteDatabase } from './sqlite-cache-file';
import type { CacheEntryRecord, CacheEntryStore } from './types';

export type SqliteCacheStoreOptions = {
  /** Most entries kept; the least recently used go first. Default: 1,000,000. */
  maxEntries?: number;
  /** Most payload bytes kept. Default: 2 GB. */
  maxBytes?: number;
};

export const DEFAULT_SQLITE_MAX_ENTRIES = 1_000_000;
export const DEFAULT_SQLITE_MAX_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_PENDING_TOUCHES = 1_024;
const TOUCH_FLUSH_DELAY_MS = 1_000;

/**
 * Cache entries in a SQLite file (better-sqlite3, WAL, prepared statements). Entries survive
 * a process restart. Open it with `openSqliteCache`, which also gives the vector index over
 * the same file.
 */
export class SqliteCacheStore implements CacheEntryStore {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private entryCount: number;
  private totalBytes: number;
  private writesSinceRecount = 0;
  private closed = false;
  /** Recency updates wait here and are written in one transaction: a hit then costs no write. */
  private readonly pendingTouches = new Map<string, number>();
  private touchTimer: NodeJS.Timeout | undefined;

  /** Use `openSqliteCache`; this constructor is for a file already opened. */
  constructor(
    private readonly file: SqliteCacheFile,
    options: SqliteCacheStoreOptions = {},
  ) {
    file.retain();
    this.maxEntries = options.maxEntries ?? DEFAULT_SQLITE_MAX_ENTRIES;
    this.maxBytes = options.maxBytes ?? DEFAULT_SQLITE_MAX_BYTES;
    this.statements = prepareStatements(file.database);
    const totals = this.statements.totals.get() as { count: number; bytes: number };
    this.entryCount = totals.count;
    this.totalBytes = totals.bytes;
  }

  /**
   * The entry under `key`. A row with values of the wrong type (written by something else, or
   * damaged) is never returned: it is reported, deleted, and read as absent.
   */
  async get(key: string): Promise<CacheEntryRecord | undefined> {
    this.assertOpen();
    const row = this.statements.get.get(key) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const tagRows = this.statements.tagsOf.all(key) as Array<{ tag: unknown }>;
    const record = entryRecord(row, tagRows);
    if (typeof record === 'object') return record;
    this.file.warn({
      code: 'malformed-row',
      message: `skipped and deleted the malformed cache entry ${key.slice(0, 12)}: ${record}`,
    });
    await this.delete([key]).catch((error: unknown) =>
      this.file.warn({ code: 'write-failed', message: 'could not delete a malformed entry', cause: error }),
    );
    return undefined;
  }

  /** Writes the entry (and evicts beyond the bounds) in one transaction, retried while the file is locked. */
  async set(record: CacheEntryRecord): Promise<string[]> {
    this.assertOpen();
    return this.file.write(() => this.writeAndEvict(record));
  }

  async touch(key: string, now: number): Promise<void> {
    this.assertOpen();
    this.pendingTouches.set(key, now);
    if (this.pendingTouches.size >= MAX_PENDING_TOUCHES) this.scheduleTouchFlush();
    else if (!this.touchTimer) {
      this.touchTimer = setTimeout(() => this.scheduleTouchFlush(), TOUCH_FLUSH_DELAY_MS);
      this.touchTimer.unref();
    }
  }

  async delete(keys: string[]): Promise<void> {
    this.assertOpen();
    await this.deleteMany(keys);
  }

  async keysByTag(tag: string): Promise<string[]> {
    this.assertOpen();
    return (this.statements.keysByTag.all(tag) as Array<{ key: string }>).map((row) => row.key);
  }

  async keysByScope(scopeKey: string): Promise<string[]> {
    this.assertOpen();
    return (this.statements.keysByScope.all(scopeKey) as Array<{ key: string }>).map((row) => row.key);
  }

  async purgeExpired(now: number): Promise<string[]> {
    this.assertOpen();
    const keys = (this.statements.expired.all(now) as Array<{ key: string }>).map((row) => row.key);
    await this.deleteMany(keys);
    return keys;
  }

  async count(): Promise<number> {
    this.assertOpen();
    return (this.statements.totals.get() as { count: number }).count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.file.isOpen) await this.flushTouches();
    this.closed = true;
    this.file.release();
  }

  /** Recency is a hint for eviction: a flush that cannot get the lock is reported, not retried forever. */
  private async flushTouches(): Promise<void> {
    if (this.touchTimer) clearTimeout(this.touchTimer);
    this.touchTimer = undefined;
    if (this.pendingTouches.size === 0 || !this.file.isOpen) return;
    const touches = [...this.pendingTouches];
    this.pendingTouches.clear();
    try {
      await this.file.write(() => this.applyTouches(touches));
    } catch (error) {
      this.file.warn({
        code: 'write-failed',
        message: 'could not record entry use (LRU order)',
        cause: error,
      });
    }
  }

  private applyTouches(touches: Array<[string, number]>): void {
    for (const [key, now] of touches) this.statements.touch.run(now, key);
  }

  private scheduleTouchFlush(): void {
    void this.flushTouches();
  }

  /** Runs inside the write transaction. */
  private writeAndEvict(entry: CacheEntryRecord): string[] {
    const previous = this.statements.sizeOf.get(entry.key) as { size: number } | undefined;
    if (previous) {
      this.entryCount--;
      this.totalBytes -= previous.size;
    }
    this.statements.upsert.run({
      key: entry.key,
      partition: entry.partition,
      scope_key: entry.scopeKey,
      payload: entry.payload,
      created_at: entry.createdAt,
      expires_at: entry.expiresAt ?? null,
      last_used_at: entry.createdAt,
      size: entry.size,
    });
    this.statements.deleteTags.run(entry.key);
    for (const tag of new Set(entry.tags)) this.statements.insertTag.run(entry.key, tag);
    this.entryCount++;
    this.totalBytes += entry.size;
    this.recountNowAndThen();
    return this.evictBeyondBounds(entry.key);
  }

  private evictBeyondBounds(justAdded: string): string[] {
    const evicted: string[] = [];
    if (this.entryCount > this.maxEntries || this.totalBytes > this.maxBytes) {
      // Eviction goes by recency: apply the uses not yet written first, in this same transaction.
      const touches = [...this.pendingTouches];
      this.pendingTouches.clear();
      this.applyTouches(touches);
    }
    while (this.entryCount > this.maxEntries || this.totalBytes > this.maxBytes) {
      const batch = this.statements.leastRecentlyUsed.all(justAdded, 64) as Array<{
        key: string;
        size: number;
      }>;
      if (batch.length === 0) break;
      for (const row of batch) {
        if (this.entryCount <= this.maxEntries && this.totalBytes <= this.maxBytes) break;
        this.statements.delete.run(row.key);
        this.entryCount--;
        this.totalBytes -= row.size;
        evicted.push(row.key);
      }
    }
    return evicted;
  }

  private async deleteMany(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.file.write(() => {
      for (const key of keys) {
        const previous = this.statements.sizeOf.get(key) as { size: number } | undefined;
        if (!previous) continue;
        this.statements.delete.run(key);
        this.entryCount--;
        this.totalBytes -= previous.size;
      }
    });
  }

  /** Other processes may write the same file; recount now and then so bounds do not drift. */
  private recountNowAndThen(): void {
    if (++this.writesSinceRecount < 1_000) return;
    this.writesSinceRecount = 0;
    const totals = this.statements.totals.get() as { count: number; bytes: number };
    this.entryCount = totals.count;
    this.totalBytes = totals.bytes;
  }

  private assertOpen(): void {
    if (this.closed || !this.file.isOpen) throw new CacheStoreError('The SQLite cache store is closed');
  }
}

function prepareStatements(database: SqliteDatabase) {
  return {
    get: database.prepare(
      'SELECT key, partition, scope_key, payload, created_at, expires_at, size FROM entries WHERE key = ?',
    ),
    tagsOf: database.prepare('SELECT tag FROM entry_tags WHERE key = ?'),
    sizeOf: database.prepare('SELECT size FROM entries WHERE key = ?'),
    upsert: database.prepare(`
      INSERT INTO entries (key, partition, scope_key, payload, created_at, expires_at, last_used_at, size)
      VALUES (@key, @partition, @scope_key, @payload, @created_at, @expires_at, @last_used_at, @size)
      ON CONFLICT(key) DO UPDATE SET partition = excluded.partition, scope_key = excluded.scope_key,
        payload = excluded.payload, created_at = excluded.created_at, expires_at = excluded.expires_at,
        last_used_at = excluded.last_used_at, size = excluded.size`),
    deleteTags: database.prepare('DELETE FROM entry_tags WHERE key = ?'),
    insertTag: database.prepare('INSERT OR IGNORE INTO entry_tags (key, tag) VALUES (?, ?)'),
    touch: database.prepare('UPDATE entries SET last_used_at = ? WHERE key = ?'),
    delete: database.prepare('DELETE FROM entries WHERE key = ?'),
    keysByTag: database.prepare('SELECT key FROM entry_tags WHERE tag = ?'),
    keysByScope: database.prepare('SELECT key FROM entries WHERE scope_key = ?'),
    expired: database.prepare('SELECT key FROM entries WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    totals: database.prepare('SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM entries'),
    leastRecentlyUsed: database.prepare(
      'SELECT key, size FROM entries WHERE key != ? ORDER BY last_used_at ASC, rowid ASC LIMIT ?',
    ),
  };
}

/** A row as a record, or what is wrong with it (a value of the wrong type, a bad tag). */
function entryRecord(
  row: Record<string, unknown>,
  tagRows: Array<{ tag: unknown }>,
): CacheEntryRecord | string {
  for (const column of ['key', 'partition', 'scope_key', 'payload'] as const)
    if (typeof row[column] !== 'string') return `${column} is ${typeOf(row[column])}, not text`;
  for (const column of ['created_at', 'size'] as const)
    if (!Number.isFinite(row[column])) return `${column} is ${typeOf(row[column])}, not a number`;
  if (row.expires_at !== null && !Number.isFinite(row.expires_at))
    return `expires_at is ${typeOf(row.expires_at)}, not a number`;
  const tags: string[] = [];
  for (const { tag } of tagRows) {
    if (typeof tag !== 'string') return `a tag is ${typeOf(tag)}, not text`;
    tags.push(tag);
  }
  return {
    key: row.key as string,
    partition: row.partition as string,
    scopeKey: row.scope_key as string,
    payload: row.payload as string,
    tags,
    createdAt: row.created_at as number,
    expiresAt: (row.expires_at as number | null) ?? undefined,
    size: row.size as number,
  };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'a blob';
  return typeof value;
}
