import type { AIMessageChunk, BaseMessage, UsageMetadata } from '@langchain/core/messages';
import type { FinishReason, ResponseContent, TierAnswer, Usage } from '@tokenomics/core';

/**
 * A tier's AI message as the engine's framework-neutral answer, for the cascade's scorers and
 * the bandit's reward: text, tool calls (arguments as parsed objects, or the raw text of an
 * invalid call so a schema check fails it), finish reason, usage and token logprobs.
 */
export function messageAnswer(message: BaseMessage): TierAnswer {
  const ai = message as AIMessageChunk;
  const content: ResponseContent[] = [];
  for (const block of typeof ai.content === 'string' ? [ai.content] : (ai.content as unknown[])) {
    if (typeof block === 'string') {
      if (block.length > 0) content.push({ type: 'text', text: block });
    } else if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') {
      content.push({ type: 'text', text: block.text });
    } else if (isRecord(block) && (block.type === 'reasoning' || block.type === 'thinking')) {
      const text = block.reasoning ?? block.thinking ?? block.text;
      if (typeof text === 'string') content.push({ type: 'reasoning', text });
    }
  }
  for (const call of ai.tool_calls ?? []) {
    content.push({ type: 'tool-call', toolCallId: call.id ?? '', toolName: call.name, input: call.args });
  }
  for (const call of ai.invalid_tool_calls ?? []) {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? '',
      toolName: call.name ?? '',
      input: call.args,
    });
  }
  const metadata = ai.response_metadata ?? {};
  const answer: TierAnswer = {
    content,
    finishReason: finishReasonOf(metadata, content),
    usage: usageOf(ai.usage_metadata),
  };
  const extra: Record<string, unknown> = {};
  if (metadata.logprobs !== undefined && metadata.logprobs !== null) extra.logprobs = metadata.logprobs;
  const modelName = metadata.model_name ?? metadata.model;
  if (typeof modelName === 'string') extra.modelId = modelName;
  if (Object.keys(extra).length > 0) answer.metadata = extra;
  return answer;
}

function usageOf(usage: UsageMetadata | undefined): Usage {
  if (!usage) return {};
  const result: Usage = { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens };
  const cached = usage.input_token_details?.cache_read;
  if (cached !== undefined) result.cachedInputTokens = cached;
  const reasoning = usage.output_token_details?.reasoning;
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}

/** Providers spell the finish reason differently; this reads the common spellings. */
function finishReasonOf(metadata: Record<string, unknown>, content: ResponseContent[]): FinishReason {
  const raw = metadata.finish_reason ?? metadata.stop_reason ?? metadata.finishReason;
  switch (typeof raw === 'string' ? raw.toLowerCase() : undefined) {
    case 'stop':
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'length':
    case 'max_tokens':
      return 'length';
    case 'tool_calls':
    case 'tool_use':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
    case 'safety':
    case 'refusal':
      return 'content-filter';
    case undefined:
      return content.some((part) => part.type === 'tool-call') ? 'tool-calls' : 'stop';
    default:
      return 'other';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
