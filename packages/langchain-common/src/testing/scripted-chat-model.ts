import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

export type ScriptedReply = {
  text?: string;
  toolCalls?: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  /** Thrown instead of answering (for `.stream()`: after `failAfterChunks` chunks, default 0). */
  error?: Error;
  failAfterChunks?: number;
  /** `.stream()` starts with an empty chunk, as some providers send a role chunk first. */
  leadingEmptyChunk?: boolean;
};

export type ScriptedCall = {
  messages: BaseMessage[];
  options: Record<string, unknown>;
  streamed: boolean;
  /** Chunks this call's stream produced. */
  chunksSent: number;
};

/**
 * A chat model for tests that behaves like a provider's: identifying params (`<_llmType>:<model>`
 * is its model id), tools bound as call options, usage metadata, a finish reason, word-by-word
 * streaming. It answers from the last human text (and the call) and records every call it served.
 */
export class ScriptedChatModel extends BaseChatModel<
  BaseChatModelCallOptions & { tools?: unknown[] },
  AIMessageChunk
> {
  readonly calls: ScriptedCall[] = [];
  readonly modelName: string;
  private readonly reply: (question: string, call: ScriptedCall) => ScriptedReply;

  constructor(modelName: string, reply: (question: string, call: ScriptedCall) => ScriptedReply) {
    super({});
    this.modelName = modelName;
    this.reply = reply;
  }

  override _llmType(): string {
    return 'scripted';
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: this.modelName };
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): Runnable {
    return this.withConfig({ tools, ...kwargs } as Partial<BaseChatModelCallOptions>);
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const reply = this.answer(messages, options, false);
    if (reply.error) throw reply.error;
    const text = reply.text ?? '';
    const message = new AIMessage({
      content: text,
      tool_calls: reply.toolCalls ?? [],
      usage_metadata: usageFor(messages, text),
      response_metadata: {
        finish_reason: reply.toolCalls ? 'tool_calls' : 'stop',
        model_name: this.modelName,
      },
    });
    return { generations: [{ text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.answer(messages, options, true);
    const call = this.calls.at(-1) as ScriptedCall;
    const text = reply.text ?? '';
    let sent = 0;
    if (reply.leadingEmptyChunk) {
      call.chunksSent++;
      yield new ChatGenerationChunk({ text: '', message: new AIMessageChunk({ content: '' }) });
    }
    for (const piece of text.match(/\s*\S+\s*/g) ?? []) {
      if (reply.error && sent >= (reply.failAfterChunks ?? 0)) throw reply.error;
      await new Promise((resolve) => setTimeout(resolve, 1));
      const chunk = new ChatGenerationChunk({ text: piece, message: new AIMessageChunk({ content: piece }) });
      sent++;
      call.chunksSent++;
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk });
    }
    if (reply.error) throw reply.error;
    for (const [index, call] of (reply.toolCalls ?? []).entries()) {
      yield new ChatGenerationChunk({
        text: '',
        message: new AIMessageChunk({
          content: '',
          tool_call_chunks: [
            { type: 'tool_call_chunk', id: call.id, name: call.name, args: JSON.stringify(call.args), index },
          ],
        }),
      });
    }
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        usage_metadata: usageFor(messages, text),
        response_metadata: {
          finish_reason: reply.toolCalls ? 'tool_calls' : 'stop',
          model_name: this.modelName,
        },
      }),
    });
  }

  private answer(
    messages: BaseMessage[],
    options: Record<string, unknown>,
    streamed: boolean,
  ): ScriptedReply {
    const call: ScriptedCall = { messages, options, streamed, chunksSent: 0 };
    this.calls.push(call);
    const lastHuman = [...messages].reverse().find((message) => message.type === 'human');
    return this.reply(lastHuman?.text ?? '', call);
  }
}

/** Tokens as characters / 4, so a test can compute the dollars a call should cost. */
function usageFor(messages: BaseMessage[], text: string) {
  const input = Math.ceil(messages.reduce((total, message) => total + message.text.length, 0) / 4);
  const output = Math.ceil(text.length / 4) + 1;
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}
