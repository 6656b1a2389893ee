export type { RouterEngineSettings } from './create-engine';
export type { RouterModelTier, TierCallOptions } from './language-model-tiers';
export {
  getRouteMetadata,
  ROUTE_METADATA_KEY,
  type RouteAttemptMetadata,
  type RouteMetadata,
} from './route-metadata';
export {
  createRouterModel,
  type RouterLanguageModel,
  type RouterModelOptions,
  type RouterStreamingMode,
} from './router-model';
export { StreamCommittedError } from './stream-committed-error';
