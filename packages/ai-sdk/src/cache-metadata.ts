import type { JSONObject, SharedV4ProviderMetadata } from '@ai-sdk/provider';
import type { TraceStep, Usage } from '@tokenomics/core';

/** The `providerMetadata` namespace the cache middleware writes on every result. */
export const CACHE_METADATA_KEY = 'tokenomics';

/**
 * What the cache did for one call, found at `result.providerMetadata.tokenomics` (generate)
 * or on the stream's `finish` part / `streamText`'s `providerMetadata` (stream).
 */
export type CacheMetadata = {
  /** True when the answer came from the cache and no model was called. */
  cached: boolean;
  /** hit: served from the cache; miss: the model answered; bypass: the cache was not consulted. */
  decision: 'hit' | 'miss' | 'bypass';
  /** Id of this call's decision trace. */
  traceId: string;
  kind?: 'exact' | 'semantic';
  /** Hits: served from an identical call that was in flight (request coalescing). */
  coalesced?: boolean;
  /** Cosine similarity of the stored question, for semantic hits. */
  similarity?: number;
  /** Why the call missed or bypassed the cache. */
  reason?: string;
  /** Hits: input + output tokens of the original call, not spent again. */
  savedTokens?: number;
  /** Hits: the usage the original call reported. */
  originalUsage?: Usage;
  /** Misses: whether the answer was stored (known for generate; streams store after the last part). */
  stored?: boolean;
  /** Misses with near-match context: the similarity of the earlier question passed to the model. */
  nearMatchSimilarity?: number;
  /** The cache stage's decision trace steps. */
  steps: TraceStep[];
};

/** Reads the cache metadata of an AI SDK result, or undefined if the call did not pass the middleware. */
export function getCacheMetadata(
  providerMetadata: Record<string, unknown> | undefined,
): CacheMetadata | undefined {
  const value = providerMetadata?.[CACHE_METADATA_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = value as Partial<CacheMetadata>;
  if (typeof metadata.cached !== 'boolean' || typeof metadata.traceId !== 'string') return undefined;
  return metadata as CacheMetadata;
}

/**
 * Adds the cache metadata next to whatever the provider reported. On a miss, other fields the
 * wrapped model wrote in the same namespace (a router's `route` and `cost`) are kept; a hit
 * replaces them, since they describe the call that produced the stored answer, not this one.
 */
export function withCacheMetadata(
  providerMetadata: SharedV4ProviderMetadata | undefined,
  metadata: CacheMetadata,
): SharedV4ProviderMetadata {
  const existing = metadata.cached ? undefined : providerMetadata?.[CACHE_METADATA_KEY];
  return { ...providerMetadata, [CACHE_METADATA_KEY]: { ...existing, ...toJsonObject(metadata) } };
}

function toJsonObject(metadata: CacheMetadata): JSONObject {
  // Trace steps are JSON-safe by contract; dropping undefined keeps the object plain.
  return JSON.parse(JSON.stringify(metadata)) as JSONObject;
}
