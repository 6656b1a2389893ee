import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

/**
 * A layer of the LangChain pipeline: a chat model that passes each call on to the model it wraps
 * (`fields.model`), without its own callbacks, so a run is reported once. Subclasses say what the
 * layer does around the call; binding tools and relaying the stream are written here once.
 */
export abstract class WrappingChatModel<
  Fields extends { model: BaseChatModel | Runnable },
> extends BaseChatModel<BaseChatModelCallOptions, AIMessageChunk> {
  readonly model: BaseChatModel | Runnable;
  protected readonly fields: Fields;

  constructor(fields: Fields) {
    super({});
    this.fields = fields;
    this.model = fields.model;
  }

  /** The fields of this layer around the wrapped model with `tools` bound (what `bindTools` builds from). */
  protected withBoundTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): Fields {
    const model = this.model as BaseChatModel;
    if (typeof model.bindTools !== 'function')
      throw new Error(`${model.getName()} does not support tool binding.`);
    return { ...this.fields, model: model.bindTools(tools, kwargs) };
  }

  /** The wrapped model's answer to `messages`. */
  protected async invokeInner(
    messages: BaseMessage[],
    options: Partial<BaseChatModelCallOptions>,
  ): Promise<BaseMessage> {
    return (await this.model.invoke(messages, { ...options, callbacks: [] })) as BaseMessage;
  }

  /**
   * Streams the wrapped model's answer as generation chunks, each token to `runManager`, and
   * returns the chunks merged; the return is reached only when the stream ran to its end.
   */
  protected async *relay(
    messages: BaseMessage[],
    options: Partial<BaseChatModelCallOptions>,
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk, AIMessageChunk | undefined> {
    let assembled: AIMessageChunk | undefined;
    for await (const message of await this.model.stream(messages, { ...options, callbacks: [] })) {
      const chunk = message as AIMessageChunk;
      assembled = (assembled ?? new AIMessageChunk({ content: '' })).concat(chunk);
      yield new ChatGenerationChunk({ text: chunk.text, message: chunk });
      if (chunk.text) await runManager?.handleLLMNewToken(chunk.text);
    }
    return assembled;
  }
}
