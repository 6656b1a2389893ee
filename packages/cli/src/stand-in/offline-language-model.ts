import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type { Message, TokenomicsRequest } from '@tokenomics/core';
import { type AnswerBook, type StandInReply, standInReply } from './stand-in-answers';

/**
 * An AI SDK language model that calls no API: a fixed answer per question with the usage a
 * real model would report (tiktoken counts). `provider` is 'offline-stand-in', so its cache
 * entries never mix with a real model's.
 */
export function offlineLanguageModel(options: { book: AnswerBook; model: string }): LanguageModelV4 {
  const reply = (prompt: LanguageModelV4Prompt): Promise<StandInReply> => {
    const request: TokenomicsRequest = { model: options.model, messages: prompt.map(toMessage) };
    return standInReply(request, options.book, options.model);
  };
  return {
    specificationVersion: 'v4',
    provider: 'offline-stand-in',
    modelId: options.model,
    supportedUrls: {},
    async doGenerate(call: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
      const answer = await reply(call.prompt);
      return {
        content: [{ type: 'text', text: answer.text }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usageOf(answer),
        warnings: [],
      };
    },
    async doStream(call: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
      const answer = await reply(call.prompt);
      const parts: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: '0' },
        ...(answer.text.match(/\s*\S+\s*/g) ?? []).map(
          (delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: '0', delta }),
        ),
        { type: 'text-end', id: '0' },
        { type: 'finish', usage: usageOf(answer), finishReason: { unified: 'stop', raw: 'stop' } },
      ];
      return {
        stream: new ReadableStream({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
      };
    },
  };
}

function usageOf(answer: StandInReply): LanguageModelV4Usage {
  return {
    inputTokens: {
      total: answer.usage.inputTokens,
      noCache: answer.usage.inputTokens,
      cacheRead: 0,
      cacheWrite: 0,
    },
    outputTokens: { total: answer.usage.outputTokens, text: answer.usage.outputTokens, reasoning: 0 },
  };
}

function toMessage(message: LanguageModelV4Prompt[number]): Message {
  if (message.role === 'system')
    return { role: 'system', content: [{ type: 'text', text: message.content }] };
  const text = message.content
    .map((part) => (part.type === 'text' || part.type === 'reasoning' ? part.text : ''))
    .join('');
  return { role: message.role, content: [{ type: 'text', text }] };
}
