import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

export type ScriptedReply = {
  text?: string;
  toolCalls?: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  /** Default: `'tool_calls'` when the reply has tool calls, else `'stop'`. */
  finishReason?: string;
  /**
   * Thrown instead of answering: at once for `invoke`, and for `.stream()` after
   * `failAfterChunks` text chunks (default 0). Setting only `failAfterChunks` throws a generic
   * error ('model failed' for `invoke`, 'stream failed' for `.stream()`).
   */
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

export type ScriptedChatModelFields = BaseChatModelParams & {
  /** The model name in the identifying params; the model id is `scripted:<model>`. Default `scripted-1`. */
  model?: string;
  temperature?: number;
  /**
   * Replies by call number (the last one repeats), or a function that answers from the last
   * human text and the call (its messages and options).
   */
  answers: ScriptedReply[] | ((question: string, call: ScriptedCall) => ScriptedReply);
};

/**
 * A chat model for tests that behaves like a provider's: identifying params (model, temperature),
 * tools bound as call options, answers with text, tool calls, usage metadata and a finish reason,
 * word-by-word streaming with tool-call chunks and a closing usage chunk, and failures on cue.
 * It records every call it actually served, so a test can tell a cache hit or a skipped tier from
 * a model call.
 */
export class ScriptedChatModel extends BaseChatModel<
  BaseChatModelCallOptions & { tools?: unknown[] },
  AIMessageChunk
> {
  readonly calls: ScriptedCall[] = [];
  readonly modelName: string;
  readonly temperature: number | undefined;
  private readonly answers: ScriptedChatModelFields['answers'];

  constructor(fields: ScriptedChatModelFields) {
    super(fields);
    this.modelName = fields.model ?? 'scripted-1';
    this.temperature = fields.temperature;
    this.answers = fields.answers;
  }

  override _llmType(): string {
    return 'scripted';
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: this.modelName, temperature: this.temperature };
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): Runnable {
    return this.withConfig({ tools, ...kwargs } as Partial<BaseChatModelCallOptions>);
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const reply = this.answer(messages, options, false);
    const failure = failureOf(reply, 'model failed');
    if (failure) throw failure;
    const text = reply.text ?? '';
    const message = new AIMessage({
      content: text,
      tool_calls: reply.toolCalls ?? [],
      usage_metadata: usageFor(messages, text),
      response_metadata: { finish_reason: finishReasonOf(reply), model_name: this.modelName },
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
    const failure = failureOf(reply, 'stream failed');
    const text = reply.text ?? '';
    let sent = 0;
    if (reply.leadingEmptyChunk) {
      call.chunksSent++;
      yield new ChatGenerationChunk({ text: '', message: new AIMessageChunk({ content: '' }) });
    }
    for (const piece of text.match(/\s*\S+\s*/g) ?? []) {
      if (failure && sent >= (reply.failAfterChunks ?? 0)) throw failure;
      // A real stream yields between chunks; this lets a consumer that stops early stop the model.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const chunk = new ChatGenerationChunk({ text: piece, message: new AIMessageChunk({ content: piece }) });
      sent++;
      call.chunksSent++;
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk });
    }
    if (failure) throw failure;
    for (const [index, toolCall] of (reply.toolCalls ?? []).entries()) {
      yield new ChatGenerationChunk({
        text: '',
        message: new AIMessageChunk({
          content: '',
          tool_call_chunks: [
            {
              type: 'tool_call_chunk',
              id: toolCall.id,
              name: toolCall.name,
              args: JSON.stringify(toolCall.args),
              index,
            },
          ],
        }),
      });
    }
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        usage_metadata: usageFor(messages, text),
        response_metadata: { finish_reason: finishReasonOf(reply), model_name: this.modelName },
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
    if (typeof this.answers === 'function') {
      const lastHuman = [...messages].reverse().find((message) => message.type === 'human');
      return this.answers(lastHuman?.text ?? '', call);
    }
    const reply = this.answers[Math.min(this.calls.length - 1, this.answers.length - 1)];
    if (!reply) throw new Error('ScriptedChatModel has no answers');
    return reply;
  }
}

function failureOf(reply: ScriptedReply, genericMessage: string): Error | undefined {
  if (reply.error) return reply.error;
  return reply.failAfterChunks === undefined ? undefined : new Error(genericMessage);
}

function finishReasonOf(reply: ScriptedReply): string {
  return reply.finishReason ?? (reply.toolCalls ? 'tool_calls' : 'stop');
}

/** Tokens as characters / 4, so a test can compute the dollars a call should cost. */
function usageFor(messages: BaseMessage[], text: string) {
  const input = Math.ceil(messages.reduce((total, message) => total + message.text.length, 0) / 4);
  const output = Math.ceil(text.length / 4) + 1;
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}
