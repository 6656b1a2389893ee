import { CacheStoreError } from '../cache/errors';
import { loadOptionalModule } from './load-optional-module';

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
  transaction<Run extends (...parameters: any[]) => unknown>(run: Run): Run;
  pragma(source: string): unknown;
  exec(source: string): unknown;
  close(): unknown;
};

type SqliteDatabaseConstructor = new (path: string) => SqliteDatabase;

const SCHEMA_VERSION = '1';

/**
 * One SQLite file shared by the entry store and the vector index: entries, tags, vectors and
 * metadata live together, so a copy of the file is a copy of the whole cache. The connection
 * closes when the last of its users closes.
 */
export class SqliteCacheFile {
  private users = 0;
  private closed = false;

  private constructor(
    readonly database: SqliteDatabase,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<SqliteCacheFile> {
    const Database = await loadOptionalModule<SqliteDatabaseConstructor>(
      'better-sqlite3',
      'The SQLite cache store',
    );
    let database: SqliteDatabase;
    try {
      database = new Database(path);
    } catch (error) {
      throw new CacheStoreError(`Cannot open the SQLite cache file ${path}`, { cause: error });
    }
    // Applies to new files only. A 512-d float32 vector row is just over 2 KB, so with the default
    // 4 KB pages each row takes a page of its own; 8 KB pages hold three.
    database.pragma('page_size = 8192');
    // WAL lets readers run while a write is in progress; NORMAL sync is durable across process crashes.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    createSchema(database);
    return new SqliteCacheFile(database, path);
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
    CREATE TABLE IF NOT EXISTS vector_tombstones (partition TEXT NOT NULL, label INTEGER NOT NULL, PRIMARY KEY (partition, label));
    CREATE TABLE IF NOT EXISTS ann_snapshots (
      partition TEXT PRIMARY KEY,
      file TEXT NOT NULL,
      max_label INTEGER NOT NULL,
      settings TEXT NOT NULL
    );
  `);
  database.pragma('foreign_keys = ON');
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
