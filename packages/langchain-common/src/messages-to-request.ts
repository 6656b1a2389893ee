import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { ContentPart, Message, Scope, TokenomicsRequest } from '@tokenomics/core';
import { canonicalJson } from '@tokenomics/core/internal';
import { parseLlmString } from './llm-string';
import { jsonTool, modelParamsFrom, withoutIgnoredParams } from './model-params';

export type ToTokenomicsRequestOptions = {
  /**
   * The chat model the messages go to. Its identifying params (model name, temperature, ...)
   * are read the way LangChain's own cache key reads them, so a request converted here gets
   * the same key as the same call seen through `TokenomicsCache` as a model's `cache`.
   */
  model?: BaseChatModel;
  /** Call options: bound tools, `tool_choice`, `response_format`, `stop`, `seed`, ... */
  callOptions?: Record<string, unknown>;
  scope?: Scope;
};

/**
 * Converts LangChain messages and call options into the framework-neutral request, keeping
 * everything that changes the answer: roles (tool messages included), AI tool calls, images
 * and files as media parts (hashed by content in the exact key), tools, tool choice,
 * response format and generation settings.
 */
export function toTokenomicsRequest(
  messages: BaseMessage[],
  options: ToTokenomicsRequestOptions = {},
): TokenomicsRequest {
  return convertMessagesAndOptions(messages, options).request;
}

/** Like `toTokenomicsRequest`, and says when something could not be converted faithfully. */
export function convertMessagesAndOptions(
  messages: BaseMessage[],
  options: ToTokenomicsRequestOptions,
): { request: TokenomicsRequest; lossy?: string } {
  try {
    return convert(messages, options);
  } catch (error) {
    // e.g. a call option JSON cannot represent: the call is not cached rather than failed.
    const reason = error instanceof Error ? error.message : String(error);
    return { request: { model: 'unknown', messages: [] }, lossy: `conversion-failed: ${reason}` };
  }
}

function convert(
  messages: BaseMessage[],
  options: ToTokenomicsRequestOptions,
): { request: TokenomicsRequest; lossy?: string } {
  const callOptions = withoutIgnoredParams(options.callOptions ?? {});
  const params = options.model ? llmParams(options.model, callOptions) : { ...callOptions };
  if (!params) return { request: { model: 'unknown', messages: [] }, lossy: 'llm-string-unreadable' };
  if (Array.isArray(callOptions.tools)) params.tools = callOptions.tools.map(jsonTool);
  const modelParams = modelParamsFrom(params);
  const request: TokenomicsRequest = {
    model: modelParams.model,
    messages: messages.map(toMessage),
    settings: modelParams.settings,
  };
  if (modelParams.tools) request.tools = modelParams.tools;
  if (modelParams.toolChoice) request.toolChoice = modelParams.toolChoice;
  if (options.scope) request.scope = options.scope;
  return modelParams.lossy ? { request, lossy: modelParams.lossy } : { request };
}

function llmParams(
  model: BaseChatModel,
  callOptions: Record<string, unknown>,
): Record<string, unknown> | undefined {
  return parseLlmString(model._getSerializedCacheKeyParametersForCall(callOptions as never));
}

function toMessage(message: BaseMessage): Message {
  const type = message.type;
  const role = messageRole(message);
  const content: ContentPart[] = [];
  if (message.name && type !== 'tool') content.push({ type: 'other', value: { name: message.name } });
  if (role.unknown) content.push({ type: 'other', value: { role: role.unknown } });
  if (type === 'tool') {
    const toolMessage = message as BaseMessage & { tool_call_id?: string; status?: string };
    content.push({
      type: 'tool-result',
      toolCallId: toolMessage.tool_call_id ?? '',
      toolName: message.name ?? '',
      output:
        toolMessage.status === 'error'
          ? { status: 'error', content: plain(message.content) }
          : plain(message.content),
    });
    return { role: role.role, content };
  }
  content.push(...contentParts(message.content));
  if (type === 'ai') content.push(...toolCallParts(message));
  return { role: role.role, content };
}

/**
 * The request role of a LangChain message. A generic (`ChatMessage`) role the request model has
 * no name for reads as a user turn, and `unknown` names it so a converter can keep it apart.
 */
export function messageRole(message: BaseMessage): { role: Message['role']; unknown?: string } {
  const type = message.type;
  if (type === 'system' || type === 'developer') return { role: 'system' };
  if (type === 'ai') return { role: 'assistant' };
  if (type === 'tool' || type === 'function') return { role: 'tool' };
  if (type === 'generic') {
    const role = String((message as BaseMessage & { role?: string }).role ?? '');
    if (role === 'user' || role === 'human') return { role: 'user' };
    if (role === 'assistant' || role === 'ai') return { role: 'assistant' };
    if (role === 'system' || role === 'developer') return { role: 'system' };
    return { role: 'user', unknown: role };
  }
  return { role: 'user' };
}

function contentParts(content: BaseMessage['content']): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: ContentPart[] = [];
  for (const block of content as unknown[]) {
    const part = contentPart(block);
    if (!part) continue;
    const previous = parts.at(-1);
    // Adjacent text blocks read as one text, as LangChain's own prompt string joins them.
    if (part.type === 'text' && previous?.type === 'text') previous.text += part.text;
    else parts.push(part);
  }
  if (parts.length === 0) parts.push({ type: 'text', text: '' });
  return parts;
}

function contentPart(block: unknown): ContentPart | undefined {
  if (typeof block === 'string') return { type: 'text', text: block };
  if (!isRecord(block)) return { type: 'other', value: block };
  const type = String(block.type ?? '');
  if (type === 'text') return { type: 'text', text: String(block.text ?? '') };
  if (type === 'reasoning' || type === 'thinking') {
    return { type: 'reasoning', text: String(block.reasoning ?? block.thinking ?? block.text ?? '') };
  }
  // The AI message's `tool_calls` field carries these; the blocks would only repeat them.
  if (type === 'tool_call' || type === 'tool_call_chunk' || type === 'invalid_tool_call') return undefined;
  if (type === 'image_url') {
    const imageUrl = block.image_url;
    const url =
      typeof imageUrl === 'string' ? imageUrl : isRecord(imageUrl) ? String(imageUrl.url ?? '') : '';
    const detail = isRecord(imageUrl) ? imageUrl.detail : undefined;
    return {
      type: 'media',
      mediaType: dataUrlMediaType(url) ?? 'image/*',
      data: detail ? `${url}#detail=${String(detail)}` : url,
    };
  }
  if (type === 'input_audio' && isRecord(block.input_audio)) {
    return {
      type: 'media',
      mediaType: `audio/${String(block.input_audio.format ?? '*')}`,
      data: String(block.input_audio.data ?? ''),
    };
  }
  if (type === 'image' || type === 'audio' || type === 'video' || type === 'file' || type === 'text-plain') {
    return standardMediaPart(type, block);
  }
  // Anything else (provider-native documents, search results, ...) is opaque: hashing it as
  // media keeps the exact key faithful and keeps the request out of semantic lookup.
  return {
    type: 'media',
    mediaType: `application/x-langchain-${type || 'block'}`,
    data: canonicalJson(block),
  };
}

function standardMediaPart(type: string, block: Record<string, unknown>): ContentPart {
  const mediaType = String(
    block.mimeType ?? block.mime_type ?? (type === 'text-plain' ? 'text/plain' : `${type}/*`),
  );
  const filename = [block.filename, isRecord(block.metadata) ? block.metadata.filename : undefined].find(
    (value): value is string => typeof value === 'string',
  );
  const data = mediaData(block);
  const part: ContentPart = {
    type: 'media',
    mediaType: dataUrlMediaType(typeof data === 'string' ? data : '') ?? mediaType,
    data,
  };
  if (filename) part.filename = filename;
  return part;
}

function mediaData(block: Record<string, unknown>): string | Uint8Array {
  for (const field of ['data', 'base64', 'url', 'text']) {
    const value = block[field];
    if (typeof value === 'string' || value instanceof Uint8Array) return value;
  }
  const id = block.fileId ?? block.file_id ?? block.id;
  if (typeof id === 'string') return `file-id:${id}`;
  return canonicalJson(block);
}

/** An AI message's tool calls (or its legacy `function_call`) as tool-call parts, arguments copied. */
export function toolCallParts(message: BaseMessage): ContentPart[] {
  const aiMessage = message as BaseMessage & {
    tool_calls?: Array<{ id?: string; name: string; args: unknown }>;
    additional_kwargs: { function_call?: { name?: string; arguments?: string } };
  };
  const parts: ContentPart[] = (aiMessage.tool_calls ?? []).map((call) => ({
    type: 'tool-call',
    toolCallId: call.id ?? '',
    toolName: call.name,
    input: plain(call.args),
  }));
  const legacy = aiMessage.additional_kwargs?.function_call;
  if (parts.length === 0 && legacy?.name) {
    parts.push({ type: 'tool-call', toolCallId: '', toolName: legacy.name, input: legacy.arguments ?? '' });
  }
  return parts;
}

function dataUrlMediaType(url: string): string | undefined {
  return /^data:([^;,]+)[;,]/.exec(url)?.[1];
}

/** A JSON copy, so the request never holds a reference into the caller's message objects. */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(canonicalJson(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
