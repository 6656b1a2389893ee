import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Message, TokenomicsRequest } from '@tokenomics/core';
import { type AnswerBook, standInReply } from './stand-in-answers';

export type OfflineChatModelFields = BaseChatModelParams & {
  book: AnswerBook;
  /** The model it stands in for; its name goes in the cache key and its tokenizer counts usage. */
  model: string;
};

/**
 * A LangChain chat model that calls no API: a fixed answer per question with the usage a real
 * model would report (tiktoken counts). It exists so the demo and the benchmarks run offline;
 * its answers are not model output, and the demo says so on every line.
 */
export class OfflineChatModel extends BaseChatModel {
  private readonly book: AnswerBook;
  readonly model: string;
  readonly temperature = 0;

  constructor(fields: OfflineChatModelFields) {
    super(fields);
    this.book = fields.book;
    this.model = fields.model;
  }

  _llmType(): string {
    return 'offline-stand-in';
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: this.model, temperature: this.temperature };
  }

  async _generate(
    messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const request: TokenomicsRequest = { model: this.model, messages: messages.map(toMessage) };
    const reply = await standInReply(request, this.book, this.model);
    const usage = {
      input_tokens: reply.usage.inputTokens,
      output_tokens: reply.usage.outputTokens,
      total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
    };
    const message = new AIMessage({
      content: reply.text,
      usage_metadata: usage,
      response_metadata: { model_name: this.model, finish_reason: 'stop', offlineStandIn: true },
    });
    return {
      generations: [{ text: reply.text, message, generationInfo: { finish_reason: 'stop' } }],
      llmOutput: {
        tokenUsage: {
          promptTokens: usage.input_tokens,
          completionTokens: usage.output_tokens,
          totalTokens: usage.total_tokens,
        },
      },
    };
  }
}

function toMessage(message: BaseMessage): Message {
  const type = message.getType();
  const role =
    type === 'human' ? 'user' : type === 'ai' ? 'assistant' : type === 'system' ? 'system' : 'tool';
  return { role, content: [{ type: 'text', text: message.text }] };
}
