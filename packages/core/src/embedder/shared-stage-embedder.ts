import type { Embedder } from './embedder';
import { MemoizingEmbedder } from './memoizing-embedder';

/** Texts the shared memo keeps: enough for the requests in flight at once, 2 KB each at 512 dimensions. */
const SHARED_TEXTS = 256;

/** A stage's options as far as embedding goes: a ready engine, or the embedder to build one with. */
export type StageEmbedderSettings = { engine?: unknown; embedder?: Embedder };

/**
 * A pipeline's cache and router options, made to share embeddings. When both stages are built
 * here (no ready engine) and embed with the same model (the same id, so their vectors are
 * interchangeable), one memo stands in front of the cache's embedder for both: a request whose
 * router text is the cache's question (a short last user turn, see `routeEmbeddingText`) is
 * embedded once, the router waiting for the cache's call instead of making its own. Otherwise the
 * options are returned as given.
 */
export function shareStageEmbedder<Cache extends StageEmbedderSettings, Router extends StageEmbedderSettings>(
  cache: Cache,
  router: Router,
): { cache: Cache; router: Router } {
  const cacheEmbedder = cache.embedder;
  if (cache.engine !== undefined || router.engine !== undefined) return { cache, router };
  if (!cacheEmbedder || cacheEmbedder.id !== router.embedder?.id) return { cache, router };
  const shared = new MemoizingEmbedder(cacheEmbedder, { maxEntries: SHARED_TEXTS });
  return { cache: { ...cache, embedder: shared }, router: { ...router, embedder: shared } };
}
