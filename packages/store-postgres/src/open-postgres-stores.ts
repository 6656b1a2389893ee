import {
  CacheStoreError,
  type CacheWarning,
  SemanticCache,
  type SemanticCacheOptions,
} from '@tokenomics/core';
import pg from 'pg';
import { PostgresBanditStateStore } from './postgres-bandit-state-store';
import { describe, PostgresCacheStore } from './postgres-cache-store';
import { DEFAULT_POSTGRES_TIMEOUT_MS, PostgresRunner } from './postgres-runner';
import { postgresSchema, postgresTables } from './postgres-schema';
import { PostgresVectorIndex } from './postgres-vector-index';

export type PostgresConnectionOptions = {
  /** `postgres://user:password@host:port/database`; ignored when `pool` is given. */
  connectionString?: string;
  /** A `pg` Pool you configured yourself; the stores then never end it. */
  pool?: pg.Pool;
  /** Connections of the pool this call creates. Default 10. */
  maxConnections?: number;
  /** Bound on each store call in milliseconds. Default 50. */
  timeoutMs?: number;
  /** Separates caches (or apps) sharing the tables. Default 'default'. */
  namespace?: string;
  /** First part of every table name. Default 'tokenomics'. */
  tablePrefix?: string;
  /**
   * Create the tables and indexes at open (idempotent). Default true; pass false when your own
   * migrations run `postgresSchema(...)`.
   */
  migrate?: boolean;
  onWarning?: (warning: CacheWarning) => void;
};

export type OpenPostgresCacheOptions = PostgresConnectionOptions & {
  /**
   * The embedder's vector length, for semantic search (needs pgvector). Omit for an exact-only
   * cache, which runs on any PostgreSQL.
   */
  dimensions?: number;
  /** Most entries in the namespace (LRU beyond). Default: no bound. */
  maxEntries?: number;
};

export type PostgresCache = {
  store: PostgresCacheStore;
  /** Undefined without `dimensions`. */
  vectorIndex: PostgresVectorIndex | undefined;
  pool: pg.Pool;
  close(): Promise<void>;
};

/** Opens the PostgreSQL entry store and (with `dimensions`) the pgvector index of one namespace. */
export async function openPostgresCache(options: OpenPostgresCacheOptions): Promise<PostgresCache> {
  const { runner, close, namespace, tables } = await connect(options, options.dimensions);
  const warn = options.onWarning ?? defaultWarning;
  const store = new PostgresCacheStore(runner, tables, {
    namespace,
    maxEntries: options.maxEntries,
    onWarning: warn,
    onClose: close,
  });
  const vectorIndex =
    options.dimensions === undefined
      ? undefined
      : new PostgresVectorIndex(runner, tables, { namespace, dimensions: options.dimensions });
  return { store, vectorIndex, pool: runner.pool, close };
}

export type CreatePostgresCacheOptions = Omit<SemanticCacheOptions, 'store' | 'vectorIndex'> &
  OpenPostgresCacheOptions;

/**
 * A `SemanticCache` on PostgreSQL: entries in a table, semantic search with pgvector (the
 * embedder's `dimensions` are needed for the vector column). `close()` ends the pool it created.
 */
export async function createPostgresCache(options: CreatePostgresCacheOptions): Promise<SemanticCache> {
  const {
    connectionString,
    pool,
    maxConnections,
    timeoutMs,
    namespace,
    tablePrefix,
    migrate,
    dimensions,
    maxEntries,
    ...cacheOptions
  } = options;
  const postgres = await openPostgresCache({
    connectionString,
    pool,
    maxConnections,
    timeoutMs,
    namespace,
    tablePrefix,
    migrate,
    dimensions: dimensions ?? options.embedder?.dimensions,
    maxEntries,
    onWarning: options.onWarning,
  });
  return new SemanticCache({ ...cacheOptions, store: postgres.store, vectorIndex: postgres.vectorIndex });
}

/** Bandit statistics shared through PostgreSQL (pass it as a bandit policy's `store`). */
export async function openPostgresBanditStateStore(
  options: PostgresConnectionOptions,
): Promise<PostgresBanditStateStore> {
  const { runner, close, namespace, tables } = await connect(options, undefined);
  return new PostgresBanditStateStore(runner, tables, {
    namespace,
    onWarning: options.onWarning ?? defaultWarning,
    onClose: close,
  });
}

/** Runs the schema migration on a pool (what `migrate: true` does at open). */
export async function migratePostgres(
  pool: pg.Pool,
  options: { dimensions?: number; tablePrefix?: string } = {},
): Promise<void> {
  const client = await pool.connect();
  try {
    // One migration at a time across processes: CREATE … IF NOT EXISTS can still race.
    await client.query('SELECT pg_advisory_lock(7468263)');
    try {
      await client.query(postgresSchema(options));
    } finally {
      await client.query('SELECT pg_advisory_unlock(7468263)');
    }
  } finally {
    client.release();
  }
}

async function connect(options: PostgresConnectionOptions, dimensions: number | undefined) {
  const warn = options.onWarning ?? defaultWarning;
  const tables = postgresTables(options.tablePrefix);
  const owned = options.pool === undefined;
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
  const runner = new PostgresRunner(pool, options.timeoutMs ?? DEFAULT_POSTGRES_TIMEOUT_MS, warn);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (owned) await pool.end();
  };
  if (options.migrate !== false) {
    try {
      await migratePostgres(pool, { dimensions, tablePrefix: options.tablePrefix });
    } catch (error) {
      await close();
      throw new CacheStoreError(`PostgreSQL schema migration failed: ${describe(error)}`, { cause: error });
    }
  }
  return { runner, close, namespace: options.namespace ?? 'default', tables };
}

function defaultWarning(warning: CacheWarning): void {
  console.warn(`[tokenomics postgres] ${warning.code}: ${warning.message}`);
}
