import {
  AIMessage,
  type BaseMessage,
  ChatMessage,
  HumanMessage,
  type MessageContent,
} from '@langchain/core/messages';
import type { ContentPart, Message, Role, TokenomicsRequest } from '@tokenomics/core';
import { messageRole, toolCallParts } from '@tokenomics/langchain-common';

/**
 * The request the compressor sees: text blocks become text parts, everything else (images,
 * provider blocks, tool calls, tool messages) becomes parts the compressor leaves alone but
 * still counts.
 */
export function messagesToRequest(messages: readonly BaseMessage[], model = 'langchain'): TokenomicsRequest {
  return {
    model,
    messages: messages.map((message): Message => ({ role: roleOf(message), content: contentOf(message) })),
  };
}

/**
 * Rebuilds LangChain messages from the compressed request: `sources[i]` is the original message
 * output message i came from. Untouched messages are returned as they were, changed ones are
 * copies with new text, dropped ones are gone, and a summary of old turns becomes a human message.
 */
export function requestToMessages(
  request: TokenomicsRequest,
  originals: readonly BaseMessage[],
  sources: ReadonlyArray<number | undefined>,
): BaseMessage[] {
  return request.messages.map((message, position) => {
    const origin = sources[position];
    if (origin === undefined) return new HumanMessage(textOf(message.content));
    const original = originals[origin]!;
    const texts = message.content.filter((part) => part.type === 'text').map((part) => part.text);
    const before = contentOf(original)
      .filter((part) => part.type === 'text')
      .map((part) => (part as { text: string }).text);
    if (texts.length === before.length && texts.every((text, index) => text === before[index]))
      return original;
    return withContent(original, replaceTexts(original.content, texts));
  });
}

/**
 * A generic message whose role the request model has no name for reads as a user turn, except
 * `tool`: the compressor must keep such a message in its tool chain rather than shorten it.
 */
function roleOf(message: BaseMessage): Role {
  const role = messageRole(message);
  return role.unknown === 'tool' ? 'tool' : role.role;
}

function contentOf(message: BaseMessage): ContentPart[] {
  if (roleOf(message) === 'tool') {
    return [{ type: 'tool-result', toolCallId: '', toolName: message.name ?? '', output: message.content }];
  }
  const parts: ContentPart[] =
    typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : (message.content as unknown[]).map(blockToPart);
  if (message.type === 'ai') parts.push(...toolCallParts(message));
  return parts;
}

function blockToPart(block: unknown): ContentPart {
  if (typeof block === 'string') return { type: 'text', text: block };
  if (typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text') {
    return { type: 'text', text: String((block as { text?: unknown }).text ?? '') };
  }
  return { type: 'other', value: block };
}

function replaceTexts(content: MessageContent, texts: string[]): MessageContent {
  if (typeof content === 'string') return texts[0] ?? '';
  let next = 0;
  return (content as unknown[]).map((block) => {
    if (typeof block === 'string') return { type: 'text', text: texts[next++] ?? '' };
    if (typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text') {
      return { ...(block as object), text: texts[next++] ?? '' };
    }
    return block;
  }) as MessageContent;
}

function withContent(message: BaseMessage, content: MessageContent): BaseMessage {
  const fields = {
    content,
    id: message.id,
    name: message.name,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
  };
  if (AIMessage.isInstance(message)) {
    return new AIMessage({
      ...fields,
      tool_calls: message.tool_calls,
      invalid_tool_calls: message.invalid_tool_calls,
      usage_metadata: message.usage_metadata,
    });
  }
  if (ChatMessage.isInstance(message)) return new ChatMessage({ ...fields, role: message.role });
  return new HumanMessage(fields);
}

function textOf(content: ContentPart[]): string {
  return content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}
