import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseChatModel,
  BaseChatModelCallOptions,
  BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

/**
 * What a pipeline layer does with the model it wraps, written once: bind tools on it, and relay
 * its stream. The layers pass calls on without their own callbacks, so a run is reported once.
 */
export function bindInnerTools(
  inner: BaseChatModel | Runnable,
  tools: BindToolsInput[],
  kwargs?: Partial<BaseChatModelCallOptions>,
): Runnable {
  const model = inner as BaseChatModel;
  if (typeof model.bindTools !== 'function')
    throw new Error(`${model.getName()} does not support tool binding.`);
  return model.bindTools(tools, kwargs);
}

/**
 * Streams `inner`'s answer as generation chunks, each token to `runManager`, and returns the
 * chunks merged; the return is reached only when the stream ran to its end.
 */
export async function* relayStream(
  inner: BaseChatModel | Runnable,
  messages: BaseMessage[],
  options: Partial<BaseChatModelCallOptions>,
  runManager?: CallbackManagerForLLMRun,
): AsyncGenerator<ChatGenerationChunk, AIMessageChunk | undefined> {
  let assembled: AIMessageChunk | undefined;
  for await (const message of await inner.stream(messages, { ...options, callbacks: [] })) {
    const chunk = message as AIMessageChunk;
    assembled = (assembled ?? new AIMessageChunk({ content: '' })).concat(chunk);
    yield new ChatGenerationChunk({ text: chunk.text, message: chunk });
    if (chunk.text) await runManager?.handleLLMNewToken(chunk.text);
  }
  return assembled;
}
