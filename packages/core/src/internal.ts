/**
 * `@tokenomics/core/internal`: building blocks the Tokenomics adapters and stores share, which
 * applications do not need. It follows the package's version but not its stability promise:
 * names here may change in any release. The root (`@tokenomics/core`) does not export them. Built
 * with shared chunks, so both entries use one copy of each class and of any module state.
 */
export {
  type CacheEntryPayload,
  decodeCacheEntry,
  encodeCacheEntry,
  STORABLE_FINISH_REASONS,
} from './cache/cache-entry-codec';
export {
  awaitLeader,
  coalescerFor,
  InFlightAnswers,
  type InFlightFollower,
  type InFlightLeader,
} from './cache/in-flight-answers';
export { scopeKey, semanticPartitionKey } from './request/keys';
export { tierRequest } from './router/create-router';
export { extractRouteFeatures, namedLexicalFeatures, promptText } from './router/features/lexical-features';
export { routeMetadata } from './router/route-metadata';
export { addUsage, routeUsage } from './router/route-usage';
export { resolveRouterEngine } from './router/router-engine-settings';
export {
  decideShadowRoute,
  SHADOW_ROUTE_METADATA_KEY,
  type ShadowRoute,
  shadowRouteStep,
} from './router/shadow-route';
export {
  decodeStoredBanditSnapshot,
  MAX_UPDATE_ATTEMPTS,
  type OptimisticBanditState,
  updateBanditOptimistically,
  type VersionedBanditSnapshot,
} from './router/state/optimistic-bandit-update';
export {
  decodeSnapshot as decodeBanditSnapshot,
  encodeSnapshot as encodeBanditSnapshot,
} from './router/state/snapshot-codec';
export { addStep, startStep } from './trace/create-trace';
export { finishTrace } from './trace/finish-trace';
export { toJsonSafe } from './trace/json-safe';
export { toProviderMetadata } from './trace/provider-metadata';
export { canonicalJson } from './util/canonical-json';
export { cloneJson, deepFreeze } from './util/json-value';
export { LruMap } from './util/lru-map';
