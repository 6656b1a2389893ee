import { SemanticCache } from '../cache/semantic-cache';
import type { SemanticCacheOptions } from '../cache/types';
import { type OpenSqliteCacheOptions, openSqliteCache } from './open-sqlite-cache';

export type CreateSqliteCacheOptions = Omit<SemanticCacheOptions, 'store' | 'vectorIndex'> &
  OpenSqliteCacheOptions;

/**
 * A semantic cache persisted in one SQLite file: exact and semantic hits survive a restart.
 * `close()` on the cache saves the vector graphs and closes the file.
 */
export async function createSqliteCache(options: CreateSqliteCacheOptions): Promise<SemanticCache> {
  const { path, maxEntries, maxBytes, vectorIndex, ...cacheOptions } = options;
  const sqlite = await openSqliteCache({ path, maxEntries, maxBytes, vectorIndex });
  return new SemanticCache({ ...cacheOptions, store: sqlite.store, vectorIndex: sqlite.vectorIndex });
}
