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

export type ScriptedAnswer = {
  text: string;
  toolCalls?: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  finishReason?: string;
  /** Throw this error after streaming this many chunks (or at once for `invoke`). */
  failAfterChunks?: number;
};

export type RecordingChatModelFields = BaseChatModelParams & {
  model?: string;
  temperature?: number;
  /** Answers by call number; the last repeats. A function answers from the last human text. */
  answers: ScriptedAnswer[] | ((question: string) => ScriptedAnswer);
};

/**
 * A chat model for tests that behaves like a provider's: it has identifying params (model,
 * temperature), binds tools as call options, answers with text, tool calls, usage metadata and
 * a finish reason, streams word by word, and records every call it actually served.
 */
export class RecordingChatModel extends BaseChatModel<
  BaseChatModelCallOptions & { tools?: unknown[] },
  AIMessageChunk
> {
  readonly calls: Array<{ messages: BaseMessage[]; options: Record<string, unknown>; streamed: boolean }> =
    [];
  modelName: string;
  temperature: number | undefined;
  private readonly answers: RecordingChatModelFields['answers'];

  constructor(fields: RecordingChatModelFields) {
    super(fields);
    this.modelName = fields.model ?? 'recording-1';
    this.temperature = fields.temperature;
    this.answers = fields.answers;
  }

  override _llmType(): string {
    return 'recording';
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: this.modelName, temperature: this.temperature };
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): Runnable {
    return this.withConfig({ tools, ...kwargs } as Partial<BaseChatModelCallOptions>);
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const answer = this.answerFor(messages, options, false);
    if (answer.failAfterChunks !== undefined) throw new Error('model failed');
    const message = new AIMessage({
      content: answer.text,
      tool_calls: answer.toolCalls ?? [],
      usage_metadata: usageFor(messages, answer),
      response_metadata: {
        finish_reason: answer.finishReason ?? (answer.toolCalls ? 'tool_calls' : 'stop'),
        model_name: this.modelName,
      },
    });
    return { generations: [{ text: answer.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const answer = this.answerFor(messages, options, true);
    const pieces = answer.text.match(/\s*\S+\s*/g) ?? [];
    let sent = 0;
    for (const piece of pieces) {
      if (answer.failAfterChunks !== undefined && sent >= answer.failAfterChunks)
        throw new Error('stream failed');
      await new Promise((resolve) => setTimeout(resolve, 1));
      const chunk = new ChatGenerationChunk({ text: piece, message: new AIMessageChunk({ content: piece }) });
      sent++;
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk });
    }
    for (const [index, call] of (answer.toolCalls ?? []).entries()) {
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
        usage_metadata: usageFor(messages, answer),
        response_metadata: {
          finish_reason: answer.finishReason ?? (answer.toolCalls ? 'tool_calls' : 'stop'),
          model_name: this.modelName,
        },
      }),
    });
  }

  private answerFor(
    messages: BaseMessage[],
    options: Record<string, unknown>,
    streamed: boolean,
  ): ScriptedAnswer {
    this.calls.push({ messages, options, streamed });
    if (typeof this.answers === 'function') {
      const lastHuman = [...messages].reverse().find((message) => message.type === 'human');
      return this.answers(lastHuman?.text ?? '');
    }
    const answer = this.answers[Math.min(this.calls.length - 1, this.answers.length - 1)];
    if (!answer) throw new Error('RecordingChatModel has no answers');
    return answer;
  }
}

function usageFor(messages: BaseMessage[], answer: ScriptedAnswer) {
  const input = messages.reduce((total, message) => total + message.text.length, 0);
  const output = answer.text.length + 1;
  return { input_tokens: input, output_tokens: output, total_tokens: input + output };
}
