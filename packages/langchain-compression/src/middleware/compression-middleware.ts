import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type CacheWarning, validateCompressionOptions } from '@tokenomics/core';
import { createMiddleware } from 'langchain';
import { compressMessages, type MessagesCompressionOptions } from '../compress-messages';
import { compressToolResults } from '../compress-tool-results';

export type CompressionMiddlewareOptions = MessagesCompressionOptions & {
  /**
   * Also compress the text of tool results (an agent's retrieved documents), against the
   * question. Default false: a tool result is passed on unchanged.
   */
  toolResults?: boolean;
  /** A compression that fails is skipped (the model gets the messages unchanged) and reported here. */
  onWarning?: (warning: CacheWarning) => void;
};

/**
 * `createAgent` middleware that compresses what each model call sends (retrieved documents, tool
 * results, long old turns), question-aware, keeping system instructions, tool calls and the last
 * question intact. The agent's state keeps the original messages: the next call compresses them
 * again for its own question, so nothing a later question needs is lost for good.
 */
export function compressionMiddleware(options: CompressionMiddlewareOptions = {}) {
  const { onWarning, toolResults, ...compression } = options;
  validateCompressionOptions(compression);
  return createMiddleware({
    name: 'TokenomicsCompressionMiddleware',
    wrapModelCall: async (request, handler) => {
      let messages = request.messages;
      try {
        const model =
          compression.model ?? (request.model instanceof BaseChatModel ? request.model : undefined);
        messages = (await compressMessages(request.messages, { ...compression, model })).messages;
        if (toolResults) messages = (await compressToolResults(messages, compression)).messages;
      } catch (error) {
        warn(onWarning, error);
      }
      return handler(messages === request.messages ? request : { ...request, messages });
    },
  });
}

function warn(onWarning: CompressionMiddlewareOptions['onWarning'], error: unknown): void {
  const warning: CacheWarning = {
    code: 'compression-failed',
    message: 'Compression failed; the model gets the messages unchanged.',
    cause: error,
  };
  if (onWarning) onWarning(warning);
  else console.warn(`[tokenomics] ${warning.message}`, error);
}
