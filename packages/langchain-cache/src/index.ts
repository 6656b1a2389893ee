export {
  CachedChatModel,
  type CachedChatModelCallOptions,
  type CachedChatModelFields,
  TOKENOMICS_TRACE_EVENT,
  withStreamingCache,
} from './cached-chat-model';
export { LANGCHAIN_REPLAY_FORMAT, type TokenomicsHitMetadata } from './generation-codec';
export { type ToTokenomicsRequestOptions, toTokenomicsRequest } from './messages-to-request';
export {
  type RequestLookup,
  TokenomicsCache,
  type TokenomicsCacheEvent,
  type TokenomicsCacheOptions,
  type TokenomicsSqliteCacheOptions,
} from './tokenomics-cache';
