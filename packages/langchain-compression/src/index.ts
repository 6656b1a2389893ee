export {
  compressMessages,
  type MessagesCompressionOptions,
  type MessagesCompressionResult,
} from './compress-messages';
export {
  COMPRESSION_EVENT,
  type CompressorInput,
  PromptCompressor,
  type PromptCompressorOptions,
} from './prompt-compressor';
