import { APICallError } from '@ai-sdk/provider';
import { cascade, fixed, refusalScorer } from '@tokenomics/core';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { fakeModel } from '../test-utils/fake-model';
import { mockLanguageModel } from '../test-utils/mock-language-model';
import { getRouteMetadata } from './route-metadata';
import { createRouterModel } from './router-model';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};

function apiError(statusCode: number, responseHeaders: Record<string, string> = {}) {
  return new APICallError({
    message: `HTTP ${statusCode}`,
    url: 'https://provider.test/v1/chat',
    requestBodyValues: {},
    statusCode,
    responseHeaders,
    isRetryable: statusCode === 429 || statusCode >= 500,
  });
}

function failingModel(error: Error) {
  return mockLanguageModel({
    provider: 'fake',
    modelId: 'failing',
    doGenerate: async () => {
      throw error;
    },
  });
}

describe('createRouterModel under faults and in usage', () => {
  it('reports the usage of both calls of an escalation in generateText and streamText usage', async () => {
    const cheapModel = fakeModel(() => ({
      text: "I'm sorry, but I can't help with that.",
      inputTokens: 100,
      outputTokens: 20,
    }));
    const strongModel = fakeModel(() => ({ text: 'The answer is 42.', inputTokens: 100, outputTokens: 50 }));
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: cheapModel, price: PRICES.cheap },
        { id: 'strong', model: strongModel, price: PRICES.strong },
      ],
      policy: cascade({ scorers: [refusalScorer()] }),
    });
    const generated = await generateText({ model: router, prompt: 'six times seven?', maxRetries: 0 });
    expect(generated.text).toBe('The answer is 42.');
    expect(generated.usage.inputTokens).toBe(200);
    expect(generated.usage.outputTokens).toBe(70);
    const tiers = getRouteMetadata(generated.providerMetadata)?.usage.tiers;
    expect(tiers?.map((tier) => [tier.tierId, tier.usage.outputTokens])).toEqual([
      ['cheap', 20],
      ['strong', 50],
    ]);

    const streamed = streamText({ model: router, prompt: 'six times seven?', maxRetries: 0 });
    expect(await streamed.text).toBe('The answer is 42.');
    expect((await streamed.usage).outputTokens).toBe(70);
  });

  it('surfaces a 400 from the chosen tier at once; a 429 falls back to the other tier', async () => {
    const strongModel = fakeModel(() => ({ text: 'strong answer' }));
    const badRequest = apiError(400);
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: failingModel(badRequest), price: PRICES.cheap },
        { id: 'strong', model: strongModel, price: PRICES.strong },
      ],
      policy: fixed('cheap'),
    });
    await expect(generateText({ model: router, prompt: 'hello', maxRetries: 0 })).rejects.toThrow('HTTP 400');
    expect(strongModel.doGenerateCalls).toHaveLength(0);

    const limited = createRouterModel({
      tiers: [
        { id: 'cheap', model: failingModel(apiError(429, { 'retry-after': '120' })), price: PRICES.cheap },
        { id: 'strong', model: strongModel, price: PRICES.strong },
      ],
      policy: fixed('cheap'),
    });
    const result = await generateText({ model: limited, prompt: 'hello', maxRetries: 0 });
    expect(result.text).toBe('strong answer');
    const attempts = getRouteMetadata(result.providerMetadata)?.route.attempts;
    // Retry-After (120 s) is longer than the longest retry wait: no retry, straight to the fallback.
    expect(attempts?.map((attempt) => [attempt.tier, attempt.outcome, attempt.errorKind])).toEqual([
      ['cheap', 'failed', 'rate-limit'],
      ['strong', 'accepted', undefined],
    ]);
  });

  it("does not hold a caller's aborted calls against the tier: the next call still goes to it", async () => {
    let cheapAnswers = false;
    // Until `cheapAnswers`, a provider call that ends only when its signal aborts.
    const cheapModel = fakeModel(() => ({ text: 'cheap answer' }));
    const answer = cheapModel.doGenerate.bind(cheapModel);
    cheapModel.doGenerate = (options) =>
      cheapAnswers
        ? answer(options)
        : new Promise((_, reject) => {
            options.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason));
          });
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: cheapModel, price: PRICES.cheap },
        { id: 'strong', model: fakeModel(() => ({ text: 'strong answer' })), price: PRICES.strong },
      ],
      policy: fixed('cheap'),
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    for (let call = 0; call < 3; call++) {
      const controller = new AbortController();
      const pending = generateText({
        model: router,
        prompt: 'hello',
        maxRetries: 0,
        abortSignal: controller.signal,
      });
      setTimeout(() => controller.abort(), 0);
      await expect(pending).rejects.toThrow();
    }
    cheapAnswers = true;
    const result = await generateText({ model: router, prompt: 'hello', maxRetries: 0 });
    expect(result.text).toBe('cheap answer');
    expect(getRouteMetadata(result.providerMetadata)?.route.tier).toBe('cheap');
  });
});
