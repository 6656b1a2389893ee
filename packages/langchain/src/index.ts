export {
  ANSWER_METADATA_KEY,
  COMPRESSION_METADATA_KEY,
  CompressingChatModel,
  type CompressingChatModelFields,
  type CompressionReport,
} from './compressing-chat-model';
export {
  type PipelineCallReport,
  PipelineChatModel,
  type PipelineChatModelFields,
} from './pipeline-chat-model';
export { SHADOW_ROUTE_METADATA_KEY, type ShadowRoute } from './shadow-route';
export { createTokenomicsStack, type TokenomicsStack, type TokenomicsStackOptions } from './tokenomics-stack';
