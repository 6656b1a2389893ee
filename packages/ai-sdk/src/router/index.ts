export {
  ROUTE_METADATA_KEY,
  type RouteAttemptMetadata,
  type RouteMetadata,
  type RouterEngineSettings,
  StreamCommittedError,
} from '@tokenomics/core';
export type { RouterModelTier, TierCallOptions } from './language-model-tiers';
export { getRouteMetadata } from './route-metadata';
export {
  createRouterModel,
  type RouterLanguageModel,
  type RouterModelOptions,
  type RouterStreamingMode,
} from './router-model';
