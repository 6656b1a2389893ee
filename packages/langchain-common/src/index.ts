export { childCallbacks } from './child-callbacks';
export { asChunkGeneration } from './chunk-generation';
export { chatModelId, innerLsParams } from './langsmith-params';
export { parseLlmString } from './llm-string';
export {
  convertMessagesAndOptions,
  messageRole,
  type ToTokenomicsRequestOptions,
  toolCallParts,
  toTokenomicsRequest,
} from './messages-to-request';
export { jsonTool, type ModelParams, modelParamsFrom } from './model-params';
