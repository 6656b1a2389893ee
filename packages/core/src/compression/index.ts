export {
  compressRequest,
  type RequestCompressionOptions,
  type RequestCompressionResult,
  requestTokens,
} from './compress-request';
export { compressText, DEFAULT_MIN_TOKENS, type TextCompressionResult } from './compress-text';
export type { CompressionMethod, CompressionOptions, CompressionStats } from './compression-options';
export { compressionTraceStep } from './compression-trace';
export { InvalidCompressionOptionsError } from './invalid-compression-options-error';
export { findRepeats, normalizeText } from './lossless';
export { DEFAULT_KEEP_PATTERNS, findIdentifiers, findNumbers } from './protected-patterns';
export type { TokenPruner } from './token-classifier/token-pruner';
export { loadTokenCounter, type TokenCounter as CompressionTokenCounter } from './token-count';
