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
export { exactKey, scopeKey, semanticPartitionKey } from './request/keys';
export { messageText, semanticText, type SemanticText } from './request/semantic-text';
export { canonicalJson } from './util/canonical-json';
export type { CachedResponse, FinishReason, ResponseContent, Usage } from './cache/cached-response';
export { responseText } from './cache/cached-response';
export type * from './cache/types';
export type * from './store/types';
export type { Embedder } from './embedder/embedder';
export type { DecisionTrace, TraceStep } from './trace/trace';
export type { LedgerRecord } from './ledger/types';
