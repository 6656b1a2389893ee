export { bm25Scores, terms as bm25Terms } from './bm25';
export {
  compressRequest,
  type RequestCompressionOptions,
  type RequestCompressionResult,
  requestTokens,
} from './compress-request';
export { compressText, DEFAULT_MIN_TOKENS, type TextCompressionResult } from './compress-text';
export type {
  CompressionMethod,
  CompressionOptions,
  CompressionShortfall,
  CompressionStats,
} from './compression-options';
export { compressionTraceStep } from './compression-trace';
export { InvalidCompressionOptionsError } from './invalid-compression-options-error';
export { findRepeats, normalizeText } from './lossless';
export { DEFAULT_KEEP_PATTERNS, findIdentifiers, findNumbers } from './protected-patterns';
export { type CompressionRecord, recordCompression } from './record-compression';
export { ClassifierModelError } from './token-classifier/classifier-model-error';
export {
  type ClassifiedToken,
  type ClassifiedWord,
  compressClassifiedTokens,
  type Llmlingua2Options,
  mergeTokensIntoWords,
  renderWords,
  selectWords,
} from './token-classifier/llmlingua2';
export {
  DEFAULT_FORCE_TOKENS,
  type Llmlingua2Pruner,
  type Llmlingua2PrunerOptions,
  loadLlmlingua2Pruner,
} from './token-classifier/llmlingua2-pruner';
export type { TokenPruner } from './token-classifier/token-pruner';
export { UnigramTokenizer, type UnigramTokenizerJson } from './token-classifier/unigram-tokenizer';
export { loadTokenCounter, type TokenCounter as CompressionTokenCounter } from './token-count';
export { validateCompressionOptions } from './validate-compression-options';
