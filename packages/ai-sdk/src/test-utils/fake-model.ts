import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { simulateReadableStream } from 'ai';
import type { MockLanguageModelV4 } from 'ai/test';
import { mockLanguageModel } from './mock-language-model';

/** What the fake model answers: text, optional reasoning and tool calls. */
export type FakeAnswer = {
  text?: string;
  reasoning?: string;
  toolCalls?: Array<{ toolCallId: string; toolName: string; input: unknown }>;
  finishReason?: LanguageModelV4FinishReason['unified'];
  inputTokens?: number;
  outputTokens?: number;
  /** Stream only: an `error` part replaces the finish part. */
  streamError?: unknown;
  /** Stream only: pause between parts, in milliseconds. */
  chunkDelayMs?: number;
};

export function fakeUsage(inputTokens: number, outputTokens: number): LanguageModelV4Usage {
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}

/**
 * A `MockLanguageModelV4` that answers each call from `answer(params)`, both for
 * `doGenerate` and `doStream`; its `doGenerateCalls` / `doStreamCalls` say how often the
 * model was really called.
 */
export function fakeModel(answer: (params: LanguageModelV4CallOptions) => FakeAnswer): MockLanguageModelV4 {
  let responseNumber = 0;
  return mockLanguageModel({
    provider: 'fake',
    modelId: 'fake-model',
    doGenerate: async (params) => {
      const reply = answer(params);
      responseNumber++;
      return {
        content: contentOf(reply),
        finishReason: finishOf(reply),
        usage: fakeUsage(reply.inputTokens ?? 12, reply.outputTokens ?? 8),
        response: { id: `response-${responseNumber}`, modelId: 'fake-model-2026-01', timestamp: new Date() },
        warnings: [],
      };
    },
    doStream: async (params) => {
      const reply = answer(params);
      responseNumber++;
      return {
        stream: simulateReadableStream({
          chunks: streamPartsOf(reply, responseNumber),
          initialDelayInMs: null,
          chunkDelayInMs: reply.chunkDelayMs ?? null,
        }),
      };
    },
  });
}

function contentOf(reply: FakeAnswer): LanguageModelV4Content[] {
  const content: LanguageModelV4Content[] = [];
  if (reply.reasoning !== undefined) content.push({ type: 'reasoning', text: reply.reasoning });
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls ?? []) {
    content.push({
      type: 'tool-call',
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    });
  }
  return content;
}

function finishOf(reply: FakeAnswer): LanguageModelV4FinishReason {
  const unified = reply.finishReason ?? (reply.toolCalls?.length ? 'tool-calls' : 'stop');
  return { unified, raw: unified };
}

function streamPartsOf(reply: FakeAnswer, responseNumber: number): LanguageModelV4StreamPart[] {
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    {
      type: 'response-metadata',
      id: `response-${responseNumber}`,
      modelId: 'fake-model-2026-01',
      timestamp: new Date(1_700_000_000_000 + responseNumber),
    },
  ];
  if (reply.reasoning !== undefined) {
    parts.push({ type: 'reasoning-start', id: 'reasoning-0' });
    for (const piece of words(reply.reasoning))
      parts.push({ type: 'reasoning-delta', id: 'reasoning-0', delta: piece });
    parts.push({ type: 'reasoning-end', id: 'reasoning-0' });
  }
  if (reply.text !== undefined) {
    parts.push({ type: 'text-start', id: 'text-0' });
    for (const piece of words(reply.text)) parts.push({ type: 'text-delta', id: 'text-0', delta: piece });
    parts.push({ type: 'text-end', id: 'text-0' });
  }
  for (const call of reply.toolCalls ?? []) {
    const input = JSON.stringify(call.input);
    parts.push({ type: 'tool-input-start', id: call.toolCallId, toolName: call.toolName });
    parts.push({ type: 'tool-input-delta', id: call.toolCallId, delta: input.slice(0, 5) });
    parts.push({ type: 'tool-input-delta', id: call.toolCallId, delta: input.slice(5) });
    parts.push({ type: 'tool-input-end', id: call.toolCallId });
    parts.push({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input });
  }
  if (reply.streamError !== undefined) {
    parts.push({ type: 'error', error: reply.streamError });
    return parts;
  }
  parts.push({
    type: 'finish',
    finishReason: finishOf(reply),
    usage: fakeUsage(reply.inputTokens ?? 12, reply.outputTokens ?? 8),
    providerMetadata: { fake: { requestNumber: responseNumber } },
  });
  return parts;
}

function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** The last user text of a call, for fakes that answer by question. */
export function lastUserText(params: LanguageModelV4CallOptions): string {
  const user = params.prompt.findLast((message) => message.role === 'user');
  if (user?.role !== 'user') return '';
  return user.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}
