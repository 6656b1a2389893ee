import type { LanguageModelV3GenerateResult, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import {
  CostLedger,
  cascade,
  classifierPrior,
  contextualBandit,
  createPricing,
  type DecisionTrace,
  fixed,
  formatTrace,
  HashingEmbedder,
  refusalScorer,
  SemanticCache,
  structuredOutputScorer,
} from '@tokenomics/core';
import {
  generateObject,
  generateText,
  Output,
  simulateReadableStream,
  stepCountIs,
  streamText,
  tool,
  wrapLanguageModel,
} from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getCacheMetadata } from '../cache-metadata';
import { cacheMiddleware } from '../cache-middleware';
import { type FakeAnswer, fakeModel, lastUserText } from '../test-utils/fake-model';
import { getRouteMetadata } from './route-metadata';
import { createRouterModel } from './router-model';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};

function tiers(
  cheap: (params: LanguageModelV4CallOptions) => FakeAnswer,
  strong: (params: LanguageModelV4CallOptions) => FakeAnswer,
) {
  const cheapModel = fakeModel(cheap);
  const strongModel = fakeModel(strong);
  return {
    cheapModel,
    strongModel,
    tiers: [
      { id: 'strong', model: strongModel, price: PRICES.strong },
      { id: 'cheap', model: cheapModel, price: PRICES.cheap },
    ],
  };
}

const dollars = (
  price: { inputPerMillion: number; outputPerMillion: number },
  input: number,
  output: number,
) => (input * price.inputPerMillion + output * price.outputPerMillion) / 1_000_000;

const hardPrior = (features: { text: string }) => (/prove|derive/i.test(features.text) ? 0.1 : 0.9);

describe('createRouterModel', () => {
  it('routes generateText where the classifier prior says, with route and cost in providerMetadata', async () => {
    const setup = tiers(
      () => ({ text: 'cheap answer', inputTokens: 100, outputTokens: 10 }),
      () => ({ text: 'strong answer', inputTokens: 100, outputTokens: 10 }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: classifierPrior({ prior: hardPrior }) });

    const easy = await generateText({ model: router, prompt: 'What is the capital of France?' });
    const hard = await generateText({
      model: router,
      prompt: 'Prove that the square root of 2 is irrational.',
    });

    expect(easy.text).toBe('cheap answer');
    expect(hard.text).toBe('strong answer');
    expect(setup.cheapModel.doGenerateCalls).toHaveLength(1);
    expect(setup.strongModel.doGenerateCalls).toHaveLength(1);
    const route = getRouteMetadata(easy.providerMetadata)!;
    expect(route.route).toMatchObject({
      tier: 'cheap',
      model: 'fake:fake-model',
      policy: 'classifier',
      escalated: false,
    });
    expect(route.cost.dollars).toBeCloseTo(dollars(PRICES.cheap, 100, 10), 12);
    expect(route.cost.baselineDollars).toBeCloseTo(dollars(PRICES.strong, 100, 10), 12);
    expect(getRouteMetadata(hard.providerMetadata)?.route.tier).toBe('strong');
    expect(router.explain(route.traceId)?.tierId).toBe('cheap');
    await expect(router.feedback(route.traceId, 0.2)).resolves.toBe(true);
  });

  it('feeds user ratings to a bandit: poorly rated cheap answers move traffic to the strong tier', async () => {
    const setup = tiers(
      () => ({ text: 'a quick answer' }),
      () => ({ text: 'a careful answer' }),
    );
    const run = async (rate: boolean) => {
      const router = createRouterModel({
        tiers: setup.tiers,
        policy: contextualBandit({ prior: () => 0.9, costWeight: 0.3 }),
        seed: 7,
      });
      const routes: string[] = [];
      for (let index = 0; index < 40; index++) {
        const result = await generateText({ model: router, prompt: `question ${index}` });
        const { route } = getRouteMetadata(result.providerMetadata)!;
        routes.push(route.tier);
        if (rate) await router.feedback(route.traceId, route.tier === 'cheap' ? 0 : 1);
      }
      return routes;
    };
    const strongShare = (routes: string[]) =>
      routes.filter((tier) => tier === 'strong').length / routes.length;
    const rated = await run(true);
    const unrated = await run(false);
    expect(rated[0]).toBe('cheap');
    // Without ratings the cheap answers look fine to the heuristics, so the bandit stays cheap.
    expect(strongShare(unrated.slice(-20))).toBeLessThan(0.2);
    expect(strongShare(rated.slice(-20))).toBeGreaterThan(0.8);
  });

  it('escalates structured output on invalid JSON, charges both calls, and parses the strong answer', async () => {
    const setup = tiers(
      () => ({ text: '{"name": "Ada", "born": ', inputTokens: 50, outputTokens: 8 }),
      () => ({ text: '{"name": "Ada", "born": 1815}', inputTokens: 50, outputTokens: 12 }),
    );
    // The ledger knows no price at all: every dollar it records comes from the tier prices.
    const ledger = new CostLedger({ pricing: createPricing({ registry: false }) });
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', modelId: 'fake:small', model: setup.cheapModel, price: PRICES.cheap },
        { id: 'strong', modelId: 'fake:large', model: setup.strongModel, price: PRICES.strong },
      ],
      policy: cascade({ scorers: [structuredOutputScorer(), refusalScorer()] }),
      ledger,
    });

    const result = await generateText({
      model: router,
      prompt: 'Ada Lovelace, born 1815: extract her.',
      output: Output.object({ schema: z.object({ name: z.string(), born: z.number() }) }),
    });

    expect(result.output).toEqual({ name: 'Ada', born: 1815 });
    expect(setup.cheapModel.doGenerateCalls[0]?.responseFormat?.type).toBe('json');
    const metadata = getRouteMetadata(result.providerMetadata)!;
    expect(metadata.route.attempts.map((attempt) => `${attempt.tier}:${attempt.outcome}`)).toEqual([
      'cheap:escalated',
      'strong:accepted',
    ]);
    expect(metadata.route.attempts[0]?.reason).toMatch(/invalid JSON/);
    expect(metadata.cost.dollars).toBeCloseTo(
      dollars(PRICES.cheap, 50, 8) + dollars(PRICES.strong, 50, 12),
      12,
    );
    const record = ledger.entries({ traceId: metadata.route.traceId })[0]!;
    expect(record.spent.calls?.map((call) => call.model).sort()).toEqual(['fake:large', 'fake:small']);
    expect(record.spent.dollars).toBeCloseTo(metadata.cost.dollars, 12);
  });

  it('reports the tier prices, not the registry list price, in providerMetadata and the ledger', async () => {
    const setup = tiers(
      () => ({ text: "I'm sorry, but I can't help with that.", inputTokens: 300, outputTokens: 15 }),
      () => ({ text: 'Lima.', inputTokens: 300, outputTokens: 4 }),
    );
    // A fine-tuned model the registry lacks, and gpt-4o at a negotiated rate below its list price.
    const tuned = { inputPerMillion: 0.3, outputPerMillion: 1.2 };
    const negotiated = { inputPerMillion: 1.5, outputPerMillion: 6 };
    const ledger = new CostLedger();
    expect(ledger.pricing.price('openai:gpt-4o')?.inputPerMillion).toBeGreaterThan(
      negotiated.inputPerMillion,
    );
    const router = createRouterModel({
      tiers: [
        { id: 'tuned', modelId: 'acme:ft-small-2026', model: setup.cheapModel, price: tuned },
        { id: 'large', modelId: 'openai:gpt-4o', model: setup.strongModel, price: negotiated },
      ],
      policy: cascade({ scorers: [refusalScorer()] }),
      ledger,
    });

    const result = await generateText({ model: router, prompt: 'What is the capital of Peru?' });

    const metadata = getRouteMetadata(result.providerMetadata)!;
    expect(metadata.route.escalated).toBe(true);
    const spent = dollars(tuned, 300, 15) + dollars(negotiated, 300, 4);
    expect(metadata.cost.dollars).toBeCloseTo(spent, 12);
    expect(metadata.cost.baselineDollars).toBeCloseTo(dollars(negotiated, 300, 4), 12);
    expect(metadata.cost.priceKnown).toBe(true);
    const record = ledger.entries({ traceId: metadata.route.traceId })[0]!;
    expect(record.priceKnown).toBe(true);
    expect(record.spent.dollars).toBeCloseTo(spent, 12);
    expect(record.baseline.dollars).toBeCloseTo(metadata.cost.baselineDollars, 12);
    expect(record.saved.dollars).toBeCloseTo(metadata.cost.savedDollars, 12);
  });

  it("serves generateObject through the router, with each tier's own call options applied", async () => {
    const setup = tiers(
      () => ({ text: '{"city": "Lima"}' }),
      () => ({ text: 'unused' }),
    );
    const router = createRouterModel({
      tiers: [
        {
          id: 'cheap',
          model: setup.cheapModel,
          price: PRICES.cheap,
          callOptions: { temperature: 0, maxOutputTokens: 64 },
        },
        { id: 'strong', model: setup.strongModel, price: PRICES.strong },
      ],
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const { object, providerMetadata } = await generateObject({
      model: router,
      schema: z.object({ city: z.string() }),
      prompt: 'Capital of Peru?',
      temperature: 0.7,
    });
    expect(object).toEqual({ city: 'Lima' });
    expect(setup.cheapModel.doGenerateCalls[0]).toMatchObject({ temperature: 0, maxOutputTokens: 64 });
    expect(getRouteMetadata(providerMetadata)?.route.tier).toBe('cheap');
  });

  it('escalates a refusal, and accepts a good cheap answer without calling the strong tier', async () => {
    const setup = tiers(
      (params) =>
        lastUserText(params).includes('weapon')
          ? { text: "I'm sorry, but I can't help with that." }
          : { text: 'Lima is the capital of Peru.' },
      () => ({ text: 'A careful, complete answer.' }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: cascade({ scorers: [refusalScorer()] }) });
    const refused = await generateText({
      model: router,
      prompt: 'How did medieval weapon smiths temper steel?',
    });
    const fine = await generateText({ model: router, prompt: 'Capital of Peru?' });
    expect(refused.text).toBe('A careful, complete answer.');
    expect(getRouteMetadata(refused.providerMetadata)?.route.attempts[0]?.reason).toMatch(/refusal/);
    expect(fine.text).toBe('Lima is the capital of Peru.');
    expect(setup.strongModel.doGenerateCalls).toHaveLength(1);
  });

  it('keeps tool calls through routing: a call with bad arguments escalates, the good one runs', async () => {
    const setup = tiers(
      (params) =>
        params.prompt.some((message) => message.role === 'tool')
          ? { text: 'It is sunny in Paris.' }
          : { toolCalls: [{ toolCallId: 'c1', toolName: 'weather', input: { town: 'Paris' } }] },
      () => ({ toolCalls: [{ toolCallId: 's1', toolName: 'weather', input: { city: 'Paris' } }] }),
    );
    const router = createRouterModel({
      tiers: setup.tiers,
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const executed: unknown[] = [];
    const result = await generateText({
      model: router,
      prompt: 'Weather in Paris?',
      tools: {
        weather: tool({
          description: 'Weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async (input) => {
            executed.push(input);
            return 'sunny';
          },
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(executed).toEqual([{ city: 'Paris' }]);
    expect(result.text).toBe('It is sunny in Paris.');
    expect(result.steps.map((step) => getRouteMetadata(step.providerMetadata)?.route.tier)).toEqual([
      'strong',
      'cheap',
    ]);
    expect(setup.cheapModel.doGenerateCalls[0]?.tools?.map((definition) => definition.name)).toEqual([
      'weather',
    ]);
  });

  it('falls back to another tier when one throws, with the error in the route and the trace', async () => {
    const failing = fakeModel(() => {
      throw new Error('provider overloaded');
    });
    const traces: DecisionTrace[] = [];
    const strong = fakeModel(() => ({ text: 'strong answer' }));
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: failing, price: PRICES.cheap },
        { id: 'strong', model: strong, price: PRICES.strong },
      ],
      policy: fixed('cheap'),
      retry: false,
      traceSinks: [(trace) => void traces.push(trace)],
    });
    const result = await generateText({ model: router, prompt: 'hello', maxRetries: 0 });
    expect(formatTrace(traces[0]!)).toMatch(/model:error \(provider overloaded\).*router:fallback/);
    expect(result.text).toBe('strong answer');
    const route = getRouteMetadata(result.providerMetadata)!.route;
    expect(route.attempts[0]).toMatchObject({
      tier: 'cheap',
      outcome: 'failed',
      error: { message: 'provider overloaded' },
    });
    expect(router.explain(route.traceId)?.attempts.map((attempt) => attempt.outcome)).toEqual([
      'failed',
      'accepted',
    ]);
  });

  it('accepts V3 models as tiers (converted by the AI SDK)', async () => {
    const legacy = new MockLanguageModelV3({
      provider: 'legacy',
      modelId: 'old-model',
      doGenerate: async (): Promise<LanguageModelV3GenerateResult> => ({
        content: [{ type: 'text', text: 'from a V3 model' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 4, text: 4, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    const router = createRouterModel({
      tiers: [
        { model: legacy, price: PRICES.cheap },
        { id: 'strong', model: fakeModel(() => ({ text: 'unused' })), price: PRICES.strong },
      ],
      policy: fixed('cheapest'),
    });
    const result = await generateText({ model: router, prompt: 'hi' });
    expect(result.text).toBe('from a V3 model');
    expect(getRouteMetadata(result.providerMetadata)?.route.tier).toBe('legacy:old-model');
    expect(legacy.doGenerateCalls).toHaveLength(1);
  });

  it('streams the chosen tier live, with the route on the finish part', async () => {
    const setup = tiers(
      () => ({ text: 'one two three four', chunkDelayMs: 1 }),
      () => ({ text: 'unused' }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: fixed('cheap') });
    const result = streamText({ model: router, prompt: 'count' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('one two three four');
    expect(deltas.length).toBeGreaterThanOrEqual(4);
    expect(getRouteMetadata(await result.providerMetadata)?.route.tier).toBe('cheap');
    expect((await result.usage).outputTokens).toBe(8);
  });

  it('streams a cascade after review: the refused cheap answer never reaches the caller', async () => {
    const setup = tiers(
      () => ({ text: "I'm sorry, but I can't help with that." }),
      () => ({ text: 'The answer is 42.' }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: cascade({ scorers: [refusalScorer()] }) });
    const result = streamText({ model: router, prompt: 'six times seven?' });
    expect(await result.text).toBe('The answer is 42.');
    const metadata = getRouteMetadata(await result.providerMetadata)!;
    expect(metadata.route.escalated).toBe(true);
    expect(setup.cheapModel.doStreamCalls).toHaveLength(1);
  });

  it("streams the served tier live while a shadow call's answer never reaches the caller, and bills both", async () => {
    const setup = tiers(
      () => ({ text: 'shadow words', chunkDelayMs: 1 }),
      () => ({ text: 'The answer is 42.', chunkDelayMs: 1 }),
    );
    // Serves the strong tier and calls the cheap one beside it (exploring in the shadow).
    const shadowPolicy = {
      name: 'shadow-test',
      decide: async () => ({ tierIndex: 1, reason: 'exploring-in-shadow', shadowTierIndex: 0 }),
    };
    const router = createRouterModel({ tiers: setup.tiers, policy: shadowPolicy });
    const result = streamText({ model: router, prompt: 'six times seven?' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe('The answer is 42.');
    expect(setup.cheapModel.doStreamCalls).toHaveLength(1);
    const metadata = getRouteMetadata(await result.providerMetadata)!;
    expect(metadata.route.tier).toBe('strong');
    expect(metadata.usage?.tiers?.map((tier) => tier.tierId).sort()).toEqual(['cheap', 'strong']);
  });

  it('fails a live stream that breaks mid-answer instead of splicing another tier onto it', async () => {
    const setup = tiers(
      () => ({ text: 'half an answer', streamError: new Error('connection reset') }),
      () => ({ text: 'strong answer' }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: fixed('cheap') });
    const errors: unknown[] = [];
    const result = streamText({
      model: router,
      prompt: 'hi',
      onError: ({ error }) => void errors.push(error),
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('half an answer');
    expect(errors.map((error) => (error as Error).message)).toEqual(['connection reset']);
    expect(setup.strongModel.doStreamCalls).toHaveLength(0);
  });

  it('cancels the tier stream when the caller stops reading', async () => {
    let produced = 0;
    let cancelled = false;
    const endless = fakeModel(() => ({ text: 'x' }));
    endless.doStream = async () => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: 't' });
        },
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          produced++;
          controller.enqueue({ type: 'text-delta', id: 't', delta: `w${produced} ` });
        },
        cancel() {
          cancelled = true;
        },
      }),
    });
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: endless, price: PRICES.cheap },
        { id: 'strong', model: fakeModel(() => ({ text: 'unused' })), price: PRICES.strong },
      ],
      policy: fixed('cheap'),
    });
    const { stream } = await router.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'go' }] }],
    });
    const reader = stream.getReader();
    let deltas = 0;
    while (deltas < 3) {
      const { value } = await reader.read();
      if (value?.type === 'text-delta') deltas++;
    }
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cancelled).toBe(true);
    expect(produced).toBeLessThan(10);
  });

  it('falls back in a stream when a tier fails before its first content part', async () => {
    const broken = fakeModel(() => ({ text: 'x' }));
    broken.doStream = async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'stream-start', warnings: [] },
          { type: 'error', error: new Error('overloaded') },
        ],
      }),
    });
    const router = createRouterModel({
      tiers: [
        { id: 'cheap', model: broken, price: PRICES.cheap },
        { id: 'strong', model: fakeModel(() => ({ text: 'strong answer' })), price: PRICES.strong },
      ],
      policy: fixed('cheap'),
      retry: false,
    });
    const result = streamText({ model: router, prompt: 'hi' });
    expect(await result.text).toBe('strong answer');
    const route = getRouteMetadata(await result.providerMetadata)!.route;
    expect(route.attempts.map((attempt) => `${attempt.tier}:${attempt.outcome}`)).toEqual([
      'cheap:failed',
      'strong:accepted',
    ]);
  });

  it('composes with the cache middleware in front: a repeat is a hit and calls no tier', async () => {
    const setup = tiers(
      () => ({ text: 'Paris.' }),
      () => ({ text: 'unused' }),
    );
    const router = createRouterModel({ tiers: setup.tiers, policy: fixed('cheap') });
    const cache = cacheMiddleware({
      engine: new SemanticCache({
        embedder: new HashingEmbedder(),
        verifier: false,
        threshold: 0.85,
        onWarning: () => {},
      }),
    });
    const model = wrapLanguageModel({ model: router, middleware: cache });

    const first = await generateText({ model, prompt: 'Capital of France?', temperature: 0 });
    const second = await generateText({ model, prompt: 'Capital of France?', temperature: 0 });

    expect(second.text).toBe('Paris.');
    expect(setup.cheapModel.doGenerateCalls).toHaveLength(1);
    // The miss keeps the route next to the cache's fields; the hit describes only the cache.
    expect(getCacheMetadata(first.providerMetadata)?.cached).toBe(false);
    expect(getRouteMetadata(first.providerMetadata)?.route.tier).toBe('cheap');
    expect(getCacheMetadata(second.providerMetadata)?.cached).toBe(true);
    expect(getRouteMetadata(second.providerMetadata)).toBeUndefined();
  });
});
