import { SqliteCacheFile, type SqliteCacheFileOptions } from './sqlite-cache-file';
import { SqliteCacheStore, type SqliteCacheStoreOptions } from './sqlite-cache-store';
import { SqliteVectorIndex, type SqliteVectorIndexOptions } from './sqlite-vector-index';

export type OpenSqliteCacheOptions = SqliteCacheStoreOptions &
  SqliteCacheFileOptions & {
    /** The SQLite file; created when missing. ':memory:' keeps everything in memory. */
    path: string;
    /** HNSW graph settings (dtype, connectivity, ...) and when a partition gets one. */
    vectorIndex?: SqliteVectorIndexOptions;
  };

export type SqliteCache = {
  store: SqliteCacheStore;
  vectorIndex: SqliteVectorIndex;
  /** Saves the vector graphs and closes the file. */
  close(): Promise<void>;
};

/**
 * Opens (or creates) one SQLite file holding cache entries, vectors and metadata, and returns
 * the entry store and the vector index over it. Needs `better-sqlite3` (and `usearch` once a
 * partition holds enough vectors for an HNSW graph).
 */
export async function openSqliteCache(options: OpenSqliteCacheOptions): Promise<SqliteCache> {
  const file = await SqliteCacheFile.open(options.path, options);
  const store = new SqliteCacheStore(file, options);
  const vectorIndex = new SqliteVectorIndex(file, options.vectorIndex);
  return {
    store,
    vectorIndex,
    async close() {
      await vectorIndex.close();
      await store.close();
    },
  };
}
