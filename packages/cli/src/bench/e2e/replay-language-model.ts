import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { retainsAnswer } from '../compression/compression-datasets';
import type { E2eRequest, RecordedAnswer, TierRole } from './e2e-workload';

/** One call a replay model answered: what it cost and how long it took (to subtract from overhead). */
export type ReplayCall = {
  tier: TierRole;
  requestId: string;
  inputTokens: number;
  /** Of the input tokens, those of a near-match context message. */
  contextTokens: number;
  outputTokens: number;
  dollars: number;
  ms: number;
};

/** What a replayed answer carries in `providerMetadata.replay` (kept by the cache with the answer). */
export type ReplayMetadata = {
  id: string;
  tier: TierRole;
  correct: number;
  inputTokens: number;
};

export type ReplayBook = {
  /** Finds the workload request a prompt asks; undefined for a prompt the workload does not hold. */
  find(user: string): E2eRequest | undefined;
  countTokens(text: string): number;
  /** How a near-match context block changes correctness, when the prompt carries one. */
  judgeWithContext?: (request: E2eRequest, answer: RecordedAnswer, context: string) => number | undefined;
  calls: ReplayCall[];
};

/**
 * A language model that answers each workload request with the recorded answer of the real model
 * behind one tier, and that model's usage: input tokens counted on the prompt it actually received
 * (so compression and added context change the bill), output tokens as recorded. A long-context
 * request is right only when a gold answer is still in the prompt it received.
 */
export function replayLanguageModel(tier: TierRole, book: ReplayBook): LanguageModelV4 {
  async function doGenerate(call: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const started = performance.now();
    const { system, context, user } = promptTexts(call.prompt);
    const request = book.find(user);
    if (!request) throw new Error(`replay: no recorded request for prompt "${user.slice(0, 80)}"`);
    const answer = request.answers[tier];
    const contextTokens = context ? book.countTokens(context) : 0;
    const inputTokens = book.countTokens(system) + contextTokens + book.countTokens(user);
    const outputTokens = answer.outputTokens ?? 0;
    let correct = request.goldAnswers ? (retainsAnswer(user, request.goldAnswers) ? 1 : 0) : answer.correct;
    const withContext = context ? book.judgeWithContext?.(request, answer, context) : undefined;
    if (withContext !== undefined) correct = withContext;
    const dollars =
      (inputTokens * answer.price.inputPerMillion + outputTokens * answer.price.outputPerMillion) / 1e6;
    const metadata: ReplayMetadata = { id: request.id, tier, correct, inputTokens };
    book.calls.push({
      tier,
      requestId: request.id,
      inputTokens,
      contextTokens,
      outputTokens,
      dollars,
      ms: performance.now() - started,
    });
    return {
      content: [
        { type: 'text', text: answer.response ?? `(${answer.model}'s recorded answer to ${request.id})` },
      ],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: {
        inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
      },
      providerMetadata: { replay: metadata },
      response: { modelId: answer.model },
      warnings: [],
    };
  }
  return {
    specificationVersion: 'v4',
    provider: 'replay',
    modelId: tier,
    supportedUrls: {},
    doGenerate,
    async doStream(call) {
      const result = await doGenerate(call);
      const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const parts: LanguageModelV4StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'text-start', id: '0' },
        { type: 'text-delta', id: '0', delta: text },
        { type: 'text-end', id: '0' },
        {
          type: 'finish',
          usage: result.usage,
          finishReason: result.finishReason,
          ...(result.providerMetadata ? { providerMetadata: result.providerMetadata } : {}),
        },
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

/** A near-match context message (`nearMatchContextText`) quotes the earlier question in this tag. */
export const NEAR_MATCH_MARKER = '<earlier-question>';

/**
 * The system text, any near-match context message apart, and the last user message's text.
 */
export function promptTexts(prompt: LanguageModelV4Prompt): {
  system: string;
  context: string;
  user: string;
} {
  const systems = prompt.flatMap((message) => (message.role === 'system' ? [message.content] : []));
  const system = systems.filter((text) => !text.includes(NEAR_MATCH_MARKER)).join('\n');
  const context = systems.filter((text) => text.includes(NEAR_MATCH_MARKER)).join('\n');
  const lastUser = prompt.findLast((message) => message.role === 'user');
  const user =
    lastUser?.role === 'user'
      ? lastUser.content.map((part) => (part.type === 'text' ? part.text : '')).join('')
      : '';
  return { system, context, user };
}

/** Finds requests by their user text, or (long-context ones, whose documents compression may cut) by the question they end with. */
export function requestFinder(requests: readonly E2eRequest[]): (user: string) => E2eRequest | undefined {
  const byUser = new Map<string, E2eRequest>();
  const byQuestion = new Map<string, E2eRequest>();
  for (const request of requests) {
    if (!byUser.has(request.user)) byUser.set(request.user, request);
    if (request.question) byQuestion.set(request.question, request);
  }
  return (user) => {
    const exact = byUser.get(user);
    if (exact) return exact;
    const at = user.lastIndexOf('Question: ');
    return at >= 0 ? byQuestion.get(user.slice(at)) : undefined;
  };
}
