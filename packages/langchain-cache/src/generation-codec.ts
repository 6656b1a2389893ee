import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  isAIMessage,
  type UsageMetadata,
} from '@langchain/core/messages';
import type { ChatGeneration, Generation } from '@langchain/core/outputs';
import type { CachedResponse, FinishReason, ResponseContent, Usage } from '@tokenomics/core';
import { cloneJson } from '@tokenomics/core/internal';

/** The replay format this adapter writes: the AI message's own fields, as plain JSON. */
export const LANGCHAIN_REPLAY_FORMAT = 'langchain-ai-message-v1';

/** What a cache hit carries in `response_metadata.tokenomics` and `generationInfo.tokenomics`. */
export type TokenomicsHitMetadata = {
  cached: true;
  kind: 'exact' | 'semantic';
  /** Cosine similarity of the queries, for semantic hits. */
  similarity?: number;
  traceId: string;
  /** What the original call spent: the tokens this hit saved. */
  savedUsage: Usage;
  /** The answer came from an identical call that was in flight at the same time (no entry was read). */
  coalesced?: true;
};

type StoredMessage = {
  content: unknown;
  tool_calls: Array<{ id?: string; name: string; args: Record<string, unknown>; type?: 'tool_call' }>;
  additional_kwargs: Record<string, unknown>;
  response_metadata: Record<string, unknown>;
  generation_info?: Record<string, unknown>;
};

/**
 * A generation as plain data, or why it must not be cached (a truncated, failed, filtered
 * or empty answer). The result shares no object with the generation.
 */
export function toCachedResponse(
  generation: Generation | ChatGeneration,
): { response: CachedResponse } | { refused: string } {
  const message = 'message' in generation ? (generation.message as BaseMessage) : undefined;
  const generationInfo = generation.generationInfo ?? {};
  if (!message || !isAIMessage(message)) {
    if (!generation.text) return { refused: 'empty-answer' };
    const finishReason = finishReasonOf(generationInfo);
    const response: CachedResponse = {
      content: [{ type: 'text', text: generation.text }],
      finishReason,
      usage: {},
    };
    return refusal(response) ?? { response: json(response) };
  }
  if ((message.invalid_tool_calls ?? []).length > 0) return { refused: 'invalid-tool-calls' };
  const content: ResponseContent[] = [];
  for (const part of readableContent(message.content)) content.push(part);
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool-call', toolCallId: call.id ?? '', toolName: call.name, input: call.args });
  }
  const stored: StoredMessage = {
    content: message.content,
    tool_calls: message.tool_calls ?? [],
    additional_kwargs: message.additional_kwargs ?? {},
    response_metadata: withoutTokenomics(message.response_metadata ?? {}),
    generation_info: Object.keys(generationInfo).length > 0 ? withoutTokenomics(generationInfo) : undefined,
  };
  const response: CachedResponse = {
    content,
    finishReason: finishReasonOf({ ...generationInfo, ...message.response_metadata }, content),
    usage: usageOf(message.usage_metadata),
    metadata: modelMetadata(message.response_metadata ?? {}),
    replay: { format: LANGCHAIN_REPLAY_FORMAT, parts: [stored] },
  };
  if (!content.some((part) => part.type === 'tool-call' || (part.type === 'text' && part.text.length > 0))) {
    return { refused: 'empty-answer' };
  }
  return refusal(response) ?? { response: json(response) };
}

/**
 * A fresh chat generation from a stored answer, marked as a cache hit. Entries written by
 * another adapter (no LangChain replay) are rebuilt from the neutral content.
 */
export function toChatGeneration(response: CachedResponse, hit: TokenomicsHitMetadata): ChatGeneration {
  // Stored data was decoded from JSON, so a structural copy is enough (and much cheaper than a
  // JSON round trip on the hit path); the hit metadata is built here and copied the same way.
  const stored = storedMessage(response);
  const tokenomics = cloneJson(hit);
  const message = new AIMessage({
    content: (stored ? cloneJson(stored.content) : textOf(response)) as AIMessage['content'],
    tool_calls: stored ? cloneJson(stored.tool_calls) : toolCallsOf(response),
    additional_kwargs: stored ? cloneJson(stored.additional_kwargs) : {},
    response_metadata: { ...(stored ? cloneJson(stored.response_metadata) : {}), tokenomics },
    // Nothing was spent on this call; what the original call spent is in `tokenomics.savedUsage`.
    usage_metadata: zeroUsage(),
  });
  return {
    text: textOfMessage(message),
    message,
    generationInfo: { ...(stored?.generation_info ? cloneJson(stored.generation_info) : {}), tokenomics },
  };
}

/**
 * The stored answer as stream chunks: text in word-sized pieces, then one chunk per tool call,
 * then a last chunk with usage and metadata. Concatenated, they equal `toChatGeneration`'s message.
 */
export function toMessageChunks(response: CachedResponse, hit: TokenomicsHitMetadata): AIMessageChunk[] {
  const generation = toChatGeneration(response, hit);
  const message = generation.message as AIMessage;
  const chunks: AIMessageChunk[] = [];
  for (const piece of message.text.match(/\s*\S+\s*/g) ?? [])
    chunks.push(new AIMessageChunk({ content: piece }));
  (message.tool_calls ?? []).forEach((call, index) => {
    chunks.push(
      new AIMessageChunk({
        content: '',
        tool_call_chunks: [
          { type: 'tool_call_chunk', id: call.id, name: call.name, args: JSON.stringify(call.args), index },
        ],
      }),
    );
  });
  chunks.push(
    new AIMessageChunk({
      content: '',
      additional_kwargs: message.additional_kwargs,
      response_metadata: message.response_metadata,
      usage_metadata: zeroUsage(),
    }),
  );
  return chunks;
}

export function usageOf(usage: UsageMetadata | undefined): Usage {
  if (!usage) return {};
  const result: Usage = { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens };
  if (usage.input_token_details?.cache_read !== undefined)
    result.cachedInputTokens = usage.input_token_details.cache_read;
  if (usage.output_token_details?.reasoning !== undefined)
    result.reasoningTokens = usage.output_token_details.reasoning;
  return result;
}

function refusal(response: CachedResponse): { refused: string } | undefined {
  if (response.finishReason === 'length') return { refused: 'truncated-answer' };
  if (response.finishReason === 'error') return { refused: 'error-answer' };
  if (response.finishReason === 'content-filter') return { refused: 'filtered-answer' };
  return undefined;
}

/** Providers name the finish reason differently (OpenAI, Anthropic, Google, Ollama, Bedrock). */
function finishReasonOf(metadata: Record<string, unknown>, content: ResponseContent[] = []): FinishReason {
  const raw =
    metadata.finish_reason ??
    metadata.stop_reason ??
    metadata.finishReason ??
    metadata.done_reason ??
    metadata.stopReason;
  const reason = typeof raw === 'string' ? raw.toLowerCase() : undefined;
  if (
    reason === 'length' ||
    reason === 'max_tokens' ||
    reason === 'max_output_tokens' ||
    reason === 'model_length'
  )
    return 'length';
  if (reason === 'content_filter' || reason === 'safety' || reason === 'recitation' || reason === 'refusal')
    return 'content-filter';
  if (reason === 'error') return 'error';
  if (reason === 'tool_calls' || reason === 'tool_use' || reason === 'function_call') return 'tool-calls';
  if (reason === undefined && content.some((part) => part.type === 'tool-call')) return 'tool-calls';
  return reason === undefined || reason === 'stop' || reason === 'end_turn' || reason === 'stop_sequence'
    ? 'stop'
    : 'other';
}

function readableContent(content: BaseMessage['content']): ResponseContent[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  const parts: ResponseContent[] = [];
  for (const block of content as unknown[]) {
    if (typeof block === 'string') parts.push({ type: 'text', text: block });
    else if (isRecord(block) && block.type === 'text' && typeof block.text === 'string')
      parts.push({ type: 'text', text: block.text });
    else if (isRecord(block) && (block.type === 'reasoning' || block.type === 'thinking')) {
      parts.push({ type: 'reasoning', text: String(block.reasoning ?? block.thinking ?? '') });
    }
  }
  return parts;
}

function storedMessage(response: CachedResponse): StoredMessage | undefined {
  if (response.replay?.format !== LANGCHAIN_REPLAY_FORMAT) return undefined;
  const stored = response.replay.parts[0];
  if (!isRecord(stored) || !Array.isArray(stored.tool_calls) || !isRecord(stored.response_metadata))
    return undefined;
  return stored as StoredMessage;
}

/**
 * `message.text`, without its cost when the answer is plain text: LangChain derives it from the
 * content blocks (a few microseconds per hit), which for string content and no provider-specific
 * translation (`model_provider`, `output_version`) are just the string itself.
 */
function textOfMessage(message: AIMessage): string {
  const metadata = message.response_metadata;
  if (
    typeof message.content === 'string' &&
    !('model_provider' in metadata) &&
    !('output_version' in metadata)
  )
    return message.content;
  return message.text;
}

function textOf(response: CachedResponse): string {
  return response.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
}

function toolCallsOf(response: CachedResponse): StoredMessage['tool_calls'] {
  return response.content.flatMap((part) =>
    part.type === 'tool-call'
      ? [
          {
            id: part.toolCallId,
            name: part.toolName,
            args: (json(part.input) ?? {}) as Record<string, unknown>,
          },
        ]
      : [],
  );
}

function modelMetadata(metadata: Record<string, unknown>): Record<string, unknown> | undefined {
  const model = metadata.model_name ?? metadata.model ?? metadata.modelName;
  return typeof model === 'string' ? { model } : undefined;
}

function withoutTokenomics(metadata: Record<string, unknown>): Record<string, unknown> {
  const { tokenomics: _ignored, ...rest } = metadata;
  return rest;
}

function zeroUsage(): UsageMetadata {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** A deep copy through JSON: stored and returned data never share objects. */
function json<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
