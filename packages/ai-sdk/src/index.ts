export { CACHE_METADATA_KEY, type CacheMetadata, getCacheMetadata } from './cache-metadata';
export {
  type CacheHitEvent,
  type CacheMiddleware,
  type CacheMiddlewareOptions,
  type CacheMiddlewareSharedOptions,
  type CacheMissEvent,
  cacheMiddleware,
} from './cache-middleware';
export type { TokenomicsCallOptions } from './call-options';
export {
  COMPRESSION_METADATA_KEY,
  type CompressionEvent,
  type CompressionMiddlewareOptions,
  compressionMiddleware,
  getCompressionMetadata,
} from './compression-middleware';
export {
  DEFAULT_NEAR_MATCH_SIMILARITY,
  nearMatchContextText,
  withNearMatchContext,
} from './near-match-context';
export {
  createRouterModel,
  getRouteMetadata,
  ROUTE_METADATA_KEY,
  type RouteAttemptMetadata,
  type RouteMetadata,
  type RouterEngineSettings,
  type RouterLanguageModel,
  type RouterModelOptions,
  type RouterModelTier,
  type RouterStreamingMode,
  StreamCommittedError,
  type TierCallOptions,
} from './router/index';
export type { PipelineCallReport } from './stack/pipeline-accounting-middleware';
export {
  getShadowRouteMetadata,
  SHADOW_ROUTE_METADATA_KEY,
  type ShadowRouteMetadata,
} from './stack/shadow-route-middleware';
export {
  createTokenomicsStack,
  type TokenomicsStack,
  type TokenomicsStackOptions,
} from './stack/tokenomics-stack';
export { type ModelIdentity, toTokenomicsRequest } from './to-tokenomics-request';
export type { TokenBudgetSettings } from './token-budget-call';
