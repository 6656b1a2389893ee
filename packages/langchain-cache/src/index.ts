// Re-exported from the shared layer for code that imported it from this package.
export { type ToTokenomicsRequestOptions, toTokenomicsRequest } from '@tokenomics/langchain-common';
export { getCacheMetadata } from './cache-metadata';
export {
  CachedChatModel,
  type CachedChatModelCallOptions,
  type CachedChatModelFields,
  TOKENOMICS_TRACE_EVENT,
  type WithStreamingCacheOptions,
  withStreamingCache,
} from './cached-chat-model';
export { LANGCHAIN_REPLAY_FORMAT, type TokenomicsHitMetadata } from './generation-codec';
export {
  type RequestLookup,
  type RequestStore,
  TokenomicsCache,
  type TokenomicsCacheEvent,
  type TokenomicsCacheOptions,
  type TokenomicsSqliteCacheOptions,
} from './tokenomics-cache';
