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
  const { request, ...stats } = await compressRequest(messagesToRequest(messages), options);
  return { ...stats, messages: requestToMessages(request, messages) };
}
