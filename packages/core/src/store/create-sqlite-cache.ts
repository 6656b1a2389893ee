import { SemanticCache } from '../cache/semantic-cache';
import type { SemanticCacheOptions } from '../cache/types';
import { type OpenSqliteCacheOptions, openSqliteCache } from './open-sqlite-cache';
import type { StoreWarning } from './types';

export type CreateSqliteCacheOptions = Omit<SemanticCacheOptions, 'store' | 'vectorIndex'> &
  OpenSqliteCacheOptions;

/**
 * A semantic cache persisted in one SQLite file: exact and semantic hits survive a restart.
 * `close()` on the cache closes the file (after a vector graph save in progress).
 */
export async function createSqliteCache(options: CreateSqliteCacheOptions): Promise<SemanticCache> {
  const { path, maxEntries, maxBytes, vectorIndex, busyTimeoutMs, writeAttempts, ...cacheOptions } = options;
  // Rows the store skips and writes it cannot make are reported where the cache reports its own warnings.
  const onWarning = cacheOptions.onWarning ?? defaultWarning;
  const sqlite = await openSqliteCache({
    path,
    maxEntries,
    maxBytes,
    vectorIndex,
    busyTimeoutMs,
    writeAttempts,
    onWarning,
  });
  return new SemanticCache({
    ...cacheOptions,
    onWarning,
    store: sqlite.store,
    vectorIndex: sqlite.vectorIndex,
  });
}

function defaultWarning(warning: StoreWarning): void {
  console.warn(`[tokenomics cache] ${warning.code}: ${warning.message}`);
}
