export type { ChatTierInput } from './chat-tiers';
export type { RouterEngineSettings } from './create-engine';
export {
  getRouteMetadata,
  ROUTE_METADATA_KEY,
  type RouteAttemptMetadata,
  type RouteMetadata,
} from './route-metadata';
export {
  RouterChatModel,
  type RouterChatModelCallOptions,
  type RouterChatModelFields,
  type RouterStreamingMode,
  TOKENOMICS_ROUTE_EVENT,
} from './router-chat-model';
export { StreamCommittedError } from './stream-committed-error';
