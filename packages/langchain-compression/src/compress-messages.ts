import type { BaseMessage } from '@langchain/core/messages';
import {
  compressRequest,
  type RequestCompressionOptions,
  type RequestCompressionResult,
} from '@tokenomics/core';
import { messagesToRequest, requestToMessages } from './messages-to-request';

export type MessagesCompressionResult = Omit<RequestCompressionResult, 'request'> & {
  messages: BaseMessage[];
};

/**
 * The function form: compresses a LangChain message list with the core compressor. System
 * messages, tool calls and tool messages, non-text blocks and (by default) the last human
 * message come back unchanged; untouched messages are the same objects.
 */
export async function compressMessages(
  messages: BaseMessage[],
  options: RequestCompressionOptions = {},
): Promise<MessagesCompressionResult> {
  const { request, ...stats } = await compressRequest(messagesToRequest(messages), {
    ...options,
    stablePrefix: stablePrefixOf(messages, options.stablePrefix),
  });
  return { ...stats, messages: requestToMessages(request, messages) };
}

/**
 * Messages never changed: the leading system messages (or the `stablePrefix` option), extended
 * through the last message carrying a provider cache breakpoint (`cache_control` on the message
 * or one of its content blocks), since the provider caches everything up to it.
 */
function stablePrefixOf(messages: BaseMessage[], configured: number | undefined): number {
  let prefix = configured ?? messages.findIndex((message) => message.type !== 'system');
  if (prefix === -1) prefix = messages.length;
  messages.forEach((message, index) => {
    const blocks = typeof message.content === 'string' ? [] : (message.content as unknown[]);
    const marked = [message.additional_kwargs, message.response_metadata, ...blocks].some(
      (value) =>
        value !== undefined && /"(?:cache_control|cacheControl|cachePoint)"/.test(JSON.stringify(value)),
    );
    if (marked) prefix = Math.max(prefix, index + 1);
  });
  return prefix;
}
