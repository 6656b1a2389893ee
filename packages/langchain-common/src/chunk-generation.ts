import { AIMessageChunk, isAIMessage } from '@langchain/core/messages';
import type { ChatGeneration } from '@langchain/core/outputs';

/**
 * A generation whose message is an `AIMessageChunk`. A wrapping chat model declares that
 * output type (it is what `.stream()` yields), and LangChain's structured-output parser insists
 * on it, whatever the inner model returned. Everything the message carries (tool calls, usage,
 * response metadata, id) is kept; a message that is already a chunk, or is not an AI message,
 * is returned as it is.
 */
export function asChunkGeneration(generation: ChatGeneration): ChatGeneration {
  const message = generation.message;
  if (AIMessageChunk.isInstance(message) || !isAIMessage(message)) return generation;
  const chunk = new AIMessageChunk({
    content: message.content,
    id: message.id,
    name: message.name,
    tool_calls: message.tool_calls,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
    usage_metadata: message.usage_metadata,
  });
  // The chunk constructor drops `invalid_tool_calls` unless it is given raw tool-call chunks, and
  // a tool call whose arguments did not parse must still reach the caller (an agent answers it).
  if (message.invalid_tool_calls?.length) chunk.invalid_tool_calls = [...message.invalid_tool_calls];
  return { ...generation, message: chunk };
}
