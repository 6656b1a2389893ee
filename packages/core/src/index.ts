export * from './budget/index';
export type { CachedResponse, FinishReason, ResponseContent, Usage } from './cache/cached-response';
export { responseText } from './cache/cached-response';
export { ErrorRateController, type ThresholdEstimate } from './cache/error-rate-controller';
export { CacheStoreError, MissingOptionalDependencyError } from './cache/errors';
export * from './cache/guards/index';
export {
  type AnswerEquivalence,
  HitVerification,
  type PendingVerification,
  type VerificationOptions,
  type VerificationStats,
} from './cache/hit-verification';
export type { AnswerCoalescer } from './cache/in-flight-answers';
export {
  DEFAULT_CANDIDATES,
  DEFAULT_SIMILARITY_THRESHOLD,
  DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER,
  DEFAULT_VERIFYING_SIMILARITY_THRESHOLD,
  EXPIRED_PURGE_INTERVAL_MS,
  SemanticCache,
} from './cache/semantic-cache';
export type * from './cache/types';
export * from './cache/verifier/index';
export * from './compression/index';
export * from './embedder/index';
export { TokenomicsError } from './errors/tokenomics-error';
export * from './ledger/index';
export * from './pipeline/index';
export * from './pricing/index';
export { exactKey } from './request/keys';
export type {
  ContentPart,
  GenerationSettings,
  MediaPart,
  Message,
  OtherPart,
  ReasoningPart,
  ResponseFormat,
  Role,
  Scope,
  TextPart,
  TokenomicsRequest,
  ToolCallPart,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
} from './request/request';
export { messageText, type SemanticText, semanticText } from './request/semantic-text';
export * from './router/index';
export * from './router/models/index';
export { type CreateSqliteCacheOptions, createSqliteCache } from './store/create-sqlite-cache';
export { HnswVectorIndex, type HnswVectorIndexOptions } from './store/hnsw-vector-index';
export {
  DEFAULT_MEMORY_MAX_BYTES,
  DEFAULT_MEMORY_MAX_ENTRIES,
  MemoryCacheStore,
  type MemoryCacheStoreOptions,
} from './store/memory-cache-store';
export { MemoryVectorIndex } from './store/memory-vector-index';
export { type OpenSqliteCacheOptions, openSqliteCache, type SqliteCache } from './store/open-sqlite-cache';
export {
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  DEFAULT_SQLITE_WRITE_ATTEMPTS,
  type SqliteCacheFileOptions,
} from './store/sqlite-cache-file';
export {
  DEFAULT_SQLITE_MAX_BYTES,
  DEFAULT_SQLITE_MAX_ENTRIES,
  SqliteCacheStore,
  type SqliteCacheStoreOptions,
} from './store/sqlite-cache-store';
export {
  DEFAULT_APPROXIMATE_FROM,
  SqliteVectorIndex,
  type SqliteVectorIndexOptions,
} from './store/sqlite-vector-index';
export type * from './store/types';
export { DEFAULT_HNSW_OPTIONS, type HnswOptions, type VectorDtype } from './store/usearch-partition';
export * from './telemetry/index';
export * from './tokens/index';
export * from './trace/index';
