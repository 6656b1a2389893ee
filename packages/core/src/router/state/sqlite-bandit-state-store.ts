import { loadOptionalModule } from '../../store/load-optional-module';
import type { SqliteDatabase } from '../../store/sqlite-cache-file';
import { createParentFolder } from '../../store/sqlite-parent-folder';
import { BanditStateStoreError } from '../errors';
import type { BanditSnapshot, BanditStateStore } from '../types';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec';

type SqliteDatabaseConstructor = new (path: string) => SqliteDatabase;

const TABLE = 'tokenomics_bandit_state';

export type SqliteBanditStateStoreOptions = {
  /** A file path (created if missing) or an open better-sqlite3 database, e.g. the cache's file. */
  database: string | SqliteDatabase;
};

/**
 * Bandit statistics in SQLite (better-sqlite3, loaded on first use): one table, one row per bandit.
 * Each update is one IMMEDIATE transaction (read, apply, write), so processes sharing the file
 * never lose each other's updates, and the statistics survive a restart. The table can live in
 * the cache's file: open the same path (WAL lets both connections work side by side).
 */
export class SqliteBanditStateStore implements BanditStateStore {
  private closed = false;

  private constructor(
    private readonly database: SqliteDatabase,
    private readonly ownsDatabase: boolean,
  ) {}

  static async open(options: SqliteBanditStateStoreOptions | string): Promise<SqliteBanditStateStore> {
    const target = typeof options === 'string' ? options : options.database;
    if (typeof target !== 'string') {
      createTable(target);
      return new SqliteBanditStateStore(target, false);
    }
    const Database = await loadOptionalModule<SqliteDatabaseConstructor>(
      'better-sqlite3',
      'The SQLite bandit state store',
    );
    let database: SqliteDatabase;
    try {
      createParentFolder(target);
      database = new Database(target);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
      createTable(database);
    } catch (error) {
      throw new BanditStateStoreError(`Cannot open the SQLite bandit state file ${target}`, { cause: error });
    }
    return new SqliteBanditStateStore(database, true);
  }

  async load(banditId: string): Promise<BanditSnapshot | undefined> {
    this.assertOpen();
    const row = this.database.prepare(`SELECT meta, data FROM ${TABLE} WHERE bandit_id = ?`).get(banditId) as
      | { meta: string; data: Uint8Array }
      | undefined;
    return row ? decodeSnapshot(row.meta, row.data) : undefined;
  }

  async update(
    banditId: string,
    apply: (current: BanditSnapshot | undefined) => BanditSnapshot,
  ): Promise<BanditSnapshot> {
    this.assertOpen();
    const database = this.database;
    database.exec('BEGIN IMMEDIATE');
    try {
      const row = database.prepare(`SELECT meta, data FROM ${TABLE} WHERE bandit_id = ?`).get(banditId) as
        | { meta: string; data: Uint8Array }
        | undefined;
      const next = apply(row ? decodeSnapshot(row.meta, row.data) : undefined);
      const encoded = encodeSnapshot(next);
      database
        .prepare(
          `INSERT INTO ${TABLE} (bandit_id, meta, data, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(bandit_id) DO UPDATE SET meta = excluded.meta, data = excluded.data, updated_at = excluded.updated_at`,
        )
        .run(
          banditId,
          encoded.meta,
          Buffer.from(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength),
          next.updatedAt,
        );
      database.exec('COMMIT');
      return next;
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  }

  async delete(banditId: string): Promise<void> {
    this.assertOpen();
    this.database.prepare(`DELETE FROM ${TABLE} WHERE bandit_id = ?`).run(banditId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsDatabase) this.database.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new BanditStateStoreError('The SQLite bandit state store is closed');
  }
}

function createTable(database: SqliteDatabase): void {
  database.exec(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       bandit_id TEXT PRIMARY KEY,
       meta TEXT NOT NULL,
       data BLOB NOT NULL,
       updated_at INTEGER NOT NULL
     )`,
  );
}
