export {
  ROUTE_METADATA_KEY,
  type RouteAttemptMetadata,
  type RouteMetadata,
  type RouterEngineSettings,
  StreamCommittedError,
} from '@tokenomics/core';
export type { ChatTierInput } from './chat-tiers';
export { getRouteMetadata } from './route-metadata';
export {
  RouterChatModel,
  type RouterChatModelCallOptions,
  type RouterChatModelFields,
  type RouterStreamingMode,
  TOKENOMICS_ROUTE_EVENT,
} from './router-chat-model';
