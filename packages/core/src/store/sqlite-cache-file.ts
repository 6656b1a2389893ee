import { CacheStoreError } from '../cache/errors';
import { loadOptionalModule } from './load-optional-module';
import { createParentFolder } from './sqlite-parent-folder';
import type { StoreWarning } from './types';

/**
 * The part of better-sqlite3's API the stores use. Declared here so the published types do
 * not depend on better-sqlite3's, which users who never open a SQLite cache do not install.
 */
export type SqliteStatement = {
  run(...parameters: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
};

export type SqliteDatabase = {
  prepare(source: string): SqliteStatement;
  // biome-ignore lint/suspicious/noExplicitAny: mirrors better-sqlite3's generic transaction wrapper.
  transaction<Run extends (...parameters: any[]) => unknown>(run: Run): Run & { immediate?: Run };
  pragma(source: string): unknown;
  exec(source: string): unknown;
  close(): unknown;
};

type SqliteDatabaseConstructor = new (path: string) => SqliteDatabase;

const SCHEMA_VERSION = '1';

export type SqliteCacheFileOptions = {
  /**
   * Longest a single write waits for another process's write lock before it backs off and
   * retries; the event loop is blocked for at most this long. Default: 50 ms.
   */
  busyTimeoutMs?: number;
  /** Tries of a write that finds the file locked before it fails (and is reported). Default: 20. */
  writeAttempts?: number;
  /** Told about retried writes and rows it skipped; never throws into a call. */
  onWarning?: (warning: StoreWarning) => void;
};

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 50;
export const DEFAULT_SQLITE_WRITE_ATTEMPTS = 20;
/** Between two tries of a locked write the event loop is free: 5 to 25 ms, at random. */
const RETRY_PAUSE_MS = { min: 5, spread: 20 };

/**
 * One SQLite file shared by the entry store and the vector index: entries, tags, vectors and
 * metadata live together, so a copy of the file is a copy of the whole cache. The connection
 * closes when the last of its users closes.
 */
export class SqliteCacheFile {
  private users = 0;
  private closed = false;
  /** Writes that found the file locked and were tried again (a measure of contention). */
  lockRetries = 0;
  private readonly writeAttempts: number;
  private readonly dataVersion: SqliteStatement;
  private readonly warnListener: ((warning: StoreWarning) => void) | undefined;

  private constructor(
    readonly database: SqliteDatabase,
    readonly path: string,
    options: SqliteCacheFileOptions,
  ) {
    this.writeAttempts = Math.max(1, Math.floor(options.writeAttempts ?? DEFAULT_SQLITE_WRITE_ATTEMPTS));
    this.warnListener = options.onWarning;
    this.dataVersion = database.prepare('PRAGMA data_version');
  }

  static async open(path: string, options: SqliteCacheFileOptions = {}): Promise<SqliteCacheFile> {
    const Database = await loadOptionalModule<SqliteDatabaseConstructor>(
      'better-sqlite3',
      'The SQLite cache store',
    );
    let database: SqliteDatabase;
    try {
      createParentFolder(path);
      database = new Database(path);
    } catch (error) {
      throw new CacheStoreError(`Cannot open the SQLite cache file ${path}`, { cause: error });
    }
    const busyTimeoutMs = Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS));
    database.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Several processes may open a new file at once: each setting is retried while another holds the lock.
    try {
      await withLockRetries(() => configure(database), DEFAULT_SQLITE_WRITE_ATTEMPTS);
    } catch (error) {
      database.close();
      throw CacheStoreError.isInstance(error)
        ? error
        : new CacheStoreError(`Cannot set up the SQLite cache file ${path}`, { cause: error });
    }
    return new SqliteCacheFile(database, path, options);
  }

  /**
   * Runs `work` in one write transaction that takes the write lock up front (BEGIN IMMEDIATE):
   * a deferred transaction that reads first cannot wait for the lock (SQLite returns "database
   * is locked" at once to avoid a deadlock), an immediate one waits `busyTimeoutMs` and, when
   * the file stays locked, is retried after a pause with the event loop free. A write that is
   * still locked out after every attempt throws a CacheStoreError; it is never dropped quietly.
   */
  async write<Result>(work: () => Result): Promise<Result> {
    const transaction = this.database.transaction(work);
    const immediate = transaction.immediate ?? transaction;
    return withLockRetries(
      () => {
        this.assertOpen();
        return immediate();
      },
      this.writeAttempts,
      () => this.lockRetries++,
    );
  }

  /**
   * Changes whenever another connection (another process, or another open of the same file)
   * commits; a reader compares it to the last value it saw to know whether to look for new rows.
   */
  changeCounter(): number {
    return Number((this.dataVersion.get() as { data_version: number }).data_version);
  }

  /** Passes a warning to the listener; a listener that throws is ignored. */
  warn(warning: StoreWarning): void {
    try {
      this.warnListener?.(warning);
    } catch {
      // A warning must never fail the call it describes.
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new CacheStoreError('The SQLite cache file is closed');
  }

  /** Registers a user of the connection; `release` closes it after the last one. */
  retain(): void {
    this.users++;
  }

  release(): void {
    this.users--;
    if (this.users <= 0 && !this.closed) {
      this.closed = true;
      this.database.close();
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  metadata(name: string): string | undefined {
    const row = this.database.prepare('SELECT value FROM metadata WHERE name = ?').get(name) as
      | { value: string }
      | undefined;
    return row?.value;
  }

  setMetadata(name: string, value: string): void {
    this.database
      .prepare(
        'INSERT INTO metadata (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }
}

function configure(database: SqliteDatabase): void {
  // Applies to new files only. A 512-d float32 vector row is just over 2 KB, so with the default
  // 4 KB pages each row takes a page of its own; 8 KB pages hold three.
  database.pragma('page_size = 8192');
  // WAL lets readers run while a write is in progress; NORMAL sync is durable across process crashes.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // One writer creates the tables and the version row; the others find them.
  const transaction = database.transaction(() => createSchema(database));
  (transaction.immediate ?? transaction)();
}

function createSchema(database: SqliteDatabase): void {
  database.exec(`
    CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS entries (
      key TEXT PRIMARY KEY,
      partition TEXT NOT NULL,
      scope_key TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      last_used_at INTEGER NOT NULL,
      size INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS entries_by_scope ON entries (scope_key);
    CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at) WHERE expires_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS entries_by_use ON entries (last_used_at);
    CREATE TABLE IF NOT EXISTS entry_tags (
      key TEXT NOT NULL REFERENCES entries (key) ON DELETE CASCADE,
      tag TEXT NOT NULL,
      PRIMARY KEY (tag, key)
    );
    CREATE INDEX IF NOT EXISTS entry_tags_by_key ON entry_tags (key);
    CREATE TABLE IF NOT EXISTS vectors (
      label INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      partition TEXT NOT NULL,
      vector BLOB NOT NULL
    );
    DROP INDEX IF EXISTS vectors_by_partition;
    CREATE INDEX IF NOT EXISTS vectors_by_partition_label_key ON vectors (partition, label, key);
    CREATE TABLE IF NOT EXISTS vector_partitions (partition TEXT PRIMARY KEY, dimensions INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS vector_tombstones (partition TEXT NOT NULL, label INTEGER NOT NULL, PRIMARY KEY (partition, label));
    CREATE TABLE IF NOT EXISTS ann_snapshots (
      partition TEXT PRIMARY KEY,
      file TEXT NOT NULL,
      max_label INTEGER NOT NULL,
      settings TEXT NOT NULL
    );
  `);
  const version = database.prepare("SELECT value FROM metadata WHERE name = 'schema_version'").get() as
    | { value: string }
    | undefined;
  if (!version) {
    database.prepare("INSERT INTO metadata (name, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
  } else if (version.value !== SCHEMA_VERSION) {
    throw new CacheStoreError(
      `The SQLite cache file has schema version ${version.value}; this version reads ${SCHEMA_VERSION}`,
    );
  }
}

/** better-sqlite3's error codes for a file locked by another connection. */
export function isLockedError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

async function withLockRetries<Result>(
  attempt: () => Result,
  attempts: number,
  onRetry?: () => void,
): Promise<Result> {
  for (let tried = 1; ; tried++) {
    try {
      return attempt();
    } catch (error) {
      if (!isLockedError(error)) throw error;
      if (tried >= attempts)
        throw new CacheStoreError(`the SQLite file stayed locked by another writer (${tried} tries)`, {
          cause: error,
        });
      onRetry?.();
      await pause(RETRY_PAUSE_MS.min + Math.random() * RETRY_PAUSE_MS.spread);
    }
  }
}

function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
