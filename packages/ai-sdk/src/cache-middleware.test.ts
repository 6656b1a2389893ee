import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import {
  type CacheEngine,
  type CacheWarning,
  HashingEmbedder,
  MemoryCacheStore,
  SemanticCache,
  type SemanticCacheOptions,
} from '@tokenomics/core';
import {
  generateObject,
  generateText,
  Output,
  stepCountIs,
  streamText,
  type TextStreamPart,
  type ToolSet,
  tool,
  wrapLanguageModel,
} from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getCacheMetadata } from './cache-metadata';
import { type CacheMiddlewareOptions, cacheMiddleware } from './cache-middleware';

import { type FakeAnswer, fakeModel, lastUserText } from './test-utils/fake-model';

function createEngine(options: SemanticCacheOptions = {}): CacheEngine {
  return new SemanticCache({
    embedder: new HashingEmbedder(),
    // The hashing embedder matches on wording; these tests are about what the adapter sends the engine,
    // so they set the similarity floor for it instead of relying on the USE-lite defaults.
    verifier: false,
    threshold: 0.85,
    onWarning: () => {},
    ...options,
  });
}

function setup(
  answer: (params: LanguageModelV4CallOptions) => FakeAnswer,
  options: Partial<CacheMiddlewareOptions> = {},
) {
  const inner = fakeModel(answer);
  const warnings: CacheWarning[] = [];
  const middleware = cacheMiddleware({
    engine: createEngine(),
    onWarning: (warning) => warnings.push(warning),
    ...options,
  } as CacheMiddlewareOptions);
  const model = wrapLanguageModel({ model: inner, middleware });
  const modelCalls = () => inner.doGenerateCalls.length + inner.doStreamCalls.length;
  return { inner, model, middleware, warnings, modelCalls };
}

const capitals = (params: LanguageModelV4CallOptions): FakeAnswer => {
  const question = lastUserText(params);
  if (/france/i.test(question))
    return { text: 'The capital of France is Paris.', inputTokens: 20, outputTokens: 9 };
  if (/spain/i.test(question))
    return { text: 'The capital of Spain is Madrid.', inputTokens: 20, outputTokens: 9 };
  return { text: `You asked: ${question}` };
};

async function collect<T>(stream: ReadableStream<T> | AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream as AsyncIterable<T>) parts.push(part);
  return parts;
}

/** Calls the wrapped model's doStream directly: the parts exactly as the middleware emits them. */
async function modelStreamParts(model: LanguageModelV4, params: LanguageModelV4CallOptions) {
  const result = await model.doStream(params);
  return collect(result.stream);
}

describe('cacheMiddleware with generateText', () => {
  it('serves a repeated call from the cache, marked as cached in usage and provider metadata', async () => {
    const { model, modelCalls } = setup(capitals);
    const first = await generateText({ model, prompt: 'What is the capital of France?' });
    const second = await generateText({ model, prompt: 'What is the capital of France?' });

    expect(modelCalls()).toBe(1);
    expect(second.text).toBe(first.text);
    expect(second.text).toBe('The capital of France is Paris.');
    expect(getCacheMetadata(first.providerMetadata)).toMatchObject({
      cached: false,
      decision: 'miss',
      stored: true,
    });
    const hit = getCacheMetadata(second.providerMetadata);
    expect(hit).toMatchObject({ cached: true, decision: 'hit', kind: 'exact', savedTokens: 29 });
    expect(hit?.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.usage.inputTokens).toBe(20);
    expect(second.usage.inputTokenDetails.cacheReadTokens).toBe(20);
    expect(second.usage.inputTokenDetails.noCacheTokens).toBe(0);
    expect(second.usage.outputTokens).toBe(0);
    expect(second.response.modelId).toBe('fake-model-2026-01');
  });

  it('misses for a different question, system prompt, temperature or tool set', async () => {
    const { model, modelCalls } = setup(capitals, { engine: createEngine({ cacheNonDeterministic: true }) });
    const weather = tool({ inputSchema: z.object({ city: z.string() }), execute: async () => 'sunny' });
    await generateText({ model, prompt: 'What is the capital of France?' });
    await generateText({ model, prompt: 'What is the capital of Spain?' });
    await generateText({ model, system: 'Answer in French.', prompt: 'What is the capital of France?' });
    await generateText({ model, temperature: 0.4, prompt: 'What is the capital of France?' });
    await generateText({ model, tools: { weather }, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(5);
    // Each of them is now cached on its own.
    await generateText({ model, temperature: 0.4, prompt: 'What is the capital of France?' });
    await generateText({ model, system: 'Answer in French.', prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(5);
  });

  it('serves a paraphrase from the cache as a semantic hit', async () => {
    const { model, modelCalls } = setup(capitals);
    await generateText({ model, prompt: 'What is the capital of France?' });
    const paraphrase = await generateText({ model, prompt: 'What is the capital city of France?' });
    expect(modelCalls()).toBe(1);
    expect(paraphrase.text).toBe('The capital of France is Paris.');
    const metadata = getCacheMetadata(paraphrase.providerMetadata);
    expect(metadata).toMatchObject({ cached: true, kind: 'semantic' });
    expect(metadata?.similarity).toBeGreaterThan(0.85);
    expect(metadata?.similarity).toBeLessThan(1);

    const streamed = streamText({ model, prompt: 'what is the capital city of France' });
    expect(await streamed.text).toBe('The capital of France is Paris.');
    expect(modelCalls()).toBe(1);
  });

  it('does not answer a follow-up from another conversation', async () => {
    const { model, modelCalls } = setup((params) => ({
      text: `Answer ${params.prompt.length}: ${lastUserText(params)}`,
    }));
    const followUp = (topic: string) =>
      generateText({
        model,
        messages: [
          { role: 'user', content: `Tell me about the ${topic} programming language.` },
          { role: 'assistant', content: `${topic} is a programming language.` },
          { role: 'user', content: 'What are its main features?' },
        ],
      });
    await followUp('Python');
    const other = await followUp('Rust');
    expect(modelCalls()).toBe(2);
    expect(getCacheMetadata(other.providerMetadata)?.cached).toBe(false);
    const same = await followUp('Python');
    expect(getCacheMetadata(same.providerMetadata)).toMatchObject({ cached: true, kind: 'exact' });
  });

  it('keeps tenants apart, whether the scope comes from options or from the call', async () => {
    const { model, modelCalls } = setup(capitals, {
      scope: (params) => ({ tenant: String(params.headers?.['x-tenant'] ?? 'none') }),
    });
    const ask = (tenant: string, user?: string) =>
      generateText({
        model,
        prompt: 'What is the capital of France?',
        headers: { 'x-tenant': tenant },
        providerOptions: user ? { tokenomics: { scope: { user } } } : undefined,
      });
    await ask('acme');
    await ask('globex');
    expect(modelCalls()).toBe(2);
    const again = await ask('acme');
    expect(getCacheMetadata(again.providerMetadata)?.cached).toBe(true);
    await ask('acme', 'alice');
    expect(modelCalls()).toBe(3);
  });

  it('does not cache sampled calls (temperature > 0) unless asked to', async () => {
    const { model, modelCalls } = setup(capitals);
    const first = await generateText({ model, temperature: 0.8, prompt: 'What is the capital of France?' });
    await generateText({ model, temperature: 0.8, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(2);
    expect(getCacheMetadata(first.providerMetadata)).toMatchObject({ cached: false, decision: 'bypass' });
  });

  it('does not store truncated answers', async () => {
    const { model, modelCalls } = setup(() => ({ text: 'The capital of', finishReason: 'length' }));
    await generateText({ model, prompt: 'What is the capital of France?', maxOutputTokens: 3 });
    await generateText({ model, prompt: 'What is the capital of France?', maxOutputTokens: 3 });
    expect(modelCalls()).toBe(2);
  });

  it('serves structured output from the cache (Output.object and generateObject)', async () => {
    const { model, modelCalls } = setup(() => ({ text: '{"city":"Paris","country":"France"}' }));
    const schema = z.object({ city: z.string(), country: z.string() });
    const first = await generateText({
      model,
      prompt: 'Capital of France?',
      output: Output.object({ schema }),
    });
    const second = await generateText({
      model,
      prompt: 'Capital of France?',
      output: Output.object({ schema }),
    });
    expect(second.output).toEqual({ city: 'Paris', country: 'France' });
    expect(second.output).toEqual(first.output);
    expect(modelCalls()).toBe(1);

    // generateObject sends the model the same call (prompt, JSON schema), so it shares the entry.
    const object = await generateObject({ model, prompt: 'Capital of France?', schema });
    expect(object.object).toEqual({ city: 'Paris', country: 'France' });
    expect(modelCalls()).toBe(1);

    const other = await generateObject({ model, prompt: 'Capital of France, as JSON?', schema });
    const otherAgain = await generateObject({ model, prompt: 'Capital of France, as JSON?', schema });
    expect(otherAgain.object).toEqual(other.object);
    expect(modelCalls()).toBe(2);
  });

  it('replays tool calls: the tools still run and the whole loop is served from the cache', async () => {
    const { model, modelCalls } = setup((params) => {
      const toolMessage = params.prompt.find((message) => message.role === 'tool');
      if (!toolMessage) {
        return { toolCalls: [{ toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } }] };
      }
      return { text: 'It is 21°C in Paris.' };
    });
    const executed: string[] = [];
    const tools = {
      weather: tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          executed.push(city);
          return { city, celsius: 21 };
        },
      }),
    } satisfies ToolSet;
    const run = () => generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Weather in Paris?' });

    const first = await run();
    expect(modelCalls()).toBe(2);
    const second = await run();
    expect(modelCalls()).toBe(2);
    expect(executed).toEqual(['Paris', 'Paris']);
    expect(second.text).toBe(first.text);
    expect(second.steps[0]?.toolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }]);
    expect(second.steps.map((step) => getCacheMetadata(step.providerMetadata)?.cached)).toEqual([true, true]);
  });

  it('bypasses the cache for one call on request, and refuses malformed per-call options', async () => {
    const { model, modelCalls, warnings } = setup(capitals);
    await generateText({ model, prompt: 'What is the capital of France?' });
    await generateText({
      model,
      prompt: 'What is the capital of France?',
      providerOptions: { tokenomics: { bypass: true } },
    });
    expect(modelCalls()).toBe(2);
    const misplacedScope = await generateText({
      model,
      prompt: 'What is the capital of France?',
      providerOptions: { tokenomics: { tenant: 'acme' } },
    });
    expect(modelCalls()).toBe(3);
    expect(getCacheMetadata(misplacedScope.providerMetadata)?.decision).toBe('bypass');
    expect(warnings.map((warning) => warning.code)).toContain('invalid-call-options');
  });

  it('expires entries after the time to live and removes them by tag', async () => {
    let now = 1_000_000;
    const { model, modelCalls, middleware } = setup(capitals, {
      engine: createEngine({ now: () => now }),
      ttlMs: 60_000,
      tags: ['geography'],
    });
    await generateText({ model, prompt: 'What is the capital of France?' });
    now += 30_000;
    await generateText({ model, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(1);
    now += 31_000;
    await generateText({ model, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(2);

    expect(await middleware.invalidate({ tags: ['geography'] })).toBe(1);
    await generateText({ model, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(3);
  });

  it('tells hooks about hits and misses', async () => {
    const events: string[] = [];
    const { model } = setup(capitals, {
      onHit: (event) => events.push(`hit:${event.mode}:${event.kind}:${event.savedTokens}`),
      onMiss: (event) => events.push(`${event.decision}:${event.mode}`),
    });
    await generateText({ model, prompt: 'What is the capital of France?' });
    await generateText({ model, prompt: 'What is the capital of France?' });
    await collect(streamText({ model, prompt: 'What is the capital of France?' }).textStream);
    expect(events).toEqual(['miss:generate', 'hit:generate:exact:29', 'hit:stream:exact:29']);
  });
});

describe('cacheMiddleware with streamText', () => {
  const richAnswer = (): FakeAnswer => ({
    reasoning: 'The user asks about France.',
    text: 'The capital of France is Paris.',
    toolCalls: [{ toolCallId: 'call-7', toolName: 'lookup', input: { country: 'France' } }],
    finishReason: 'stop',
  });

  it('replays the same stream parts on a hit, with the finish part marked as cached', async () => {
    const { model, modelCalls } = setup(richAnswer);
    const params: LanguageModelV4CallOptions = {
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Tell me about France' }] }],
    };
    const original = await modelStreamParts(model, params);
    const replayed = await modelStreamParts(model, params);
    expect(modelCalls()).toBe(1);

    const withoutFinish = (parts: LanguageModelV4StreamPart[]) =>
      parts.filter((part) => part.type !== 'finish');
    expect(withoutFinish(replayed)).toEqual(withoutFinish(original));
    expect(replayed.map((part) => part.type)).toContain('tool-input-delta');

    const originalFinish = original.at(-1);
    const replayedFinish = replayed.at(-1);
    if (originalFinish?.type !== 'finish' || replayedFinish?.type !== 'finish')
      throw new Error('no finish part');
    expect(replayedFinish.finishReason).toEqual(originalFinish.finishReason);
    expect(replayedFinish.usage.inputTokens.cacheRead).toBe(12);
    expect(replayedFinish.usage.outputTokens.total).toBe(0);
    expect(replayedFinish.providerMetadata?.fake).toEqual({ requestNumber: 1 });
    expect(getCacheMetadata(replayedFinish.providerMetadata)).toMatchObject({ cached: true, kind: 'exact' });
    expect(getCacheMetadata(originalFinish.providerMetadata)).toMatchObject({ cached: false, stored: true });
  });

  it('gives streamText the same text, reasoning and tool calls on a hit', async () => {
    const { model, modelCalls } = setup(richAnswer);
    const visible = (part: TextStreamPart<ToolSet>) =>
      ['text-delta', 'reasoning-delta', 'tool-call', 'tool-input-start', 'tool-input-delta'].includes(
        part.type,
      );
    const first = streamText({ model, prompt: 'Tell me about France' });
    const firstParts = (await collect(first.fullStream)).filter(visible);
    const second = streamText({ model, prompt: 'Tell me about France' });
    const secondParts = (await collect(second.fullStream)).filter(visible);
    expect(modelCalls()).toBe(1);
    expect(secondParts).toEqual(firstParts);
    expect(await second.text).toBe('The capital of France is Paris.');
    expect(await second.reasoningText).toBe('The user asks about France.');
    expect(getCacheMetadata(await second.providerMetadata)?.cached).toBe(true);
    expect((await second.usage).inputTokenDetails.cacheReadTokens).toBe(12);
  });

  it('runs tools on a replayed streamed tool call', async () => {
    const { model, modelCalls } = setup((params) =>
      params.prompt.some((message) => message.role === 'tool')
        ? { text: 'Paris has 2.1 million people.' }
        : { toolCalls: [{ toolCallId: 'call-2', toolName: 'population', input: { city: 'Paris' } }] },
    );
    let executions = 0;
    const tools = {
      population: tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async () => {
          executions++;
          return 2_100_000;
        },
      }),
    };
    const run = async () => {
      const result = streamText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Population of Paris?' });
      return result.text;
    };
    const first = await run();
    const second = await run();
    expect(second).toBe(first);
    expect(executions).toBe(2);
    expect(modelCalls()).toBe(2);
  });

  it('replays an answer stored by generate as a stream, and a streamed one serves generate', async () => {
    const { model, inner } = setup(capitals);
    await generateText({ model, prompt: 'What is the capital of France?' });
    const streamed = streamText({ model, prompt: 'What is the capital of France?' });
    expect(await streamed.text).toBe('The capital of France is Paris.');
    expect(inner.doStreamCalls.length).toBe(0);

    await collect(streamText({ model, prompt: 'What is the capital of Spain?' }).textStream);
    const generated = await generateText({ model, prompt: 'What is the capital of Spain?' });
    expect(generated.text).toBe('The capital of Spain is Madrid.');
    expect(inner.doGenerateCalls.length).toBe(1);
    expect(inner.doStreamCalls.length).toBe(1);
  });

  it('never stores a stream that ends in an error', async () => {
    let calls = 0;
    const { model, modelCalls } = setup(() => {
      calls++;
      return calls === 1
        ? { text: 'The capital of France is', streamError: new Error('connection reset') }
        : { text: 'The capital of France is Paris.' };
    });
    const errors: unknown[] = [];
    const failed = streamText({
      model,
      prompt: 'What is the capital of France?',
      onError: ({ error }) => errors.push(error),
    });
    await collect(failed.fullStream);
    expect(errors).toHaveLength(1);

    const retried = streamText({ model, prompt: 'What is the capital of France?' });
    expect(await retried.text).toBe('The capital of France is Paris.');
    expect(modelCalls()).toBe(2);
  });

  it('never stores a stream the caller aborted', async () => {
    const { model, modelCalls } = setup(() => ({
      text: 'Paris is the capital and largest city of France, on the Seine.',
      chunkDelayMs: 5,
    }));
    const controller = new AbortController();
    const aborted = streamText({ model, prompt: 'Describe Paris', abortSignal: controller.signal });
    for await (const part of aborted.fullStream) {
      if (part.type === 'text-delta') controller.abort();
    }
    const complete = streamText({ model, prompt: 'Describe Paris' });
    expect(await complete.text).toBe('Paris is the capital and largest city of France, on the Seine.');
    expect(modelCalls()).toBe(2);
    // The complete stream was stored; the next call is a hit.
    await collect(streamText({ model, prompt: 'Describe Paris' }).textStream);
    expect(modelCalls()).toBe(2);
  });

  it('paces a replay when asked to', async () => {
    const { model } = setup(capitals, { replayChunkDelayMs: 20 });
    await generateText({ model, prompt: 'What is the capital of France?' });
    const started = performance.now();
    const parts = await modelStreamParts(model, {
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] }],
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual((parts.length - 1) * 20 - 5);
  });
});

describe('cacheMiddleware fails open', () => {
  it('calls the model when the cache store throws', async () => {
    const broken = new MemoryCacheStore();
    const fail = async (): Promise<never> => {
      throw new Error('disk full');
    };
    broken.get = fail;
    broken.set = fail;
    const engineWarnings: string[] = [];
    const { model, modelCalls } = setup(capitals, {
      engine: createEngine({ store: broken, onWarning: (warning) => engineWarnings.push(warning.code) }),
    });
    const first = await generateText({ model, prompt: 'What is the capital of France?' });
    const second = streamText({ model, prompt: 'What is the capital of France?' });
    expect(first.text).toBe('The capital of France is Paris.');
    expect(await second.text).toBe('The capital of France is Paris.');
    expect(modelCalls()).toBe(2);
    expect(getCacheMetadata(first.providerMetadata)).toMatchObject({ cached: false, stored: false });
    expect(engineWarnings).toContain('lookup-failed');
    expect(engineWarnings).toContain('store-failed');
  });

  it('calls the model when a cached answer cannot be replayed', async () => {
    const unreadable: CacheEngine = {
      lookup: async () => ({
        status: 'hit',
        kind: 'exact',
        key: 'k',
        trace: { stage: 'cache', decision: 'hit' },
        response: {
          content: [{ type: 'text', text: 'stale' }],
          finishReason: 'stop',
          usage: {},
          replay: {
            format: 'ai-sdk-v4-generate',
            parts: [{ type: 'file', mediaType: 'image/png', data: { type: 'url', url: 'not a url' } }],
          },
        },
      }),
      store: async () => ({
        stored: false,
        reason: 'test',
        trace: { stage: 'cache', decision: 'skip-store' },
      }),
      invalidate: async () => 0,
      close: async () => {},
    };
    const { model, modelCalls, warnings } = setup(capitals, { engine: unreadable });
    const result = await generateText({ model, prompt: 'What is the capital of France?' });
    expect(result.text).toBe('The capital of France is Paris.');
    expect(modelCalls()).toBe(1);
    expect(warnings.map((warning) => warning.code)).toEqual(['unreadable-cached-answer']);
  });

  it('calls the model when the engine throws on lookup and store', async () => {
    const broken: CacheEngine = {
      lookup: async () => {
        throw new Error('store is down');
      },
      store: async () => {
        throw new Error('store is down');
      },
      invalidate: async () => 0,
      close: async () => {},
    };
    const { model, modelCalls, warnings } = setup(capitals, { engine: broken });
    const result = await generateText({ model, prompt: 'What is the capital of France?' });
    const streamed = streamText({ model, prompt: 'What is the capital of France?' });
    expect(result.text).toBe('The capital of France is Paris.');
    expect(await streamed.text).toBe('The capital of France is Paris.');
    expect(modelCalls()).toBe(2);
    expect(warnings.map((warning) => warning.code)).toEqual([
      'lookup-failed',
      'store-failed',
      'lookup-failed',
      'store-failed',
    ]);
    expect(getCacheMetadata(result.providerMetadata)).toMatchObject({ cached: false, stored: false });
  });
});

describe('cacheMiddleware with a verifying engine', () => {
  it('in shadow mode calls the model every time and the engine reports what it would have served', async () => {
    const engine = new SemanticCache({
      embedder: new HashingEmbedder(),
      verifier: false,
      threshold: 0.85,
      shadow: true,
      onWarning: () => {},
    });
    const { model, modelCalls } = setup(capitals, { engine });
    await generateText({ model, prompt: 'What is the capital of France?' });
    const again = await generateText({ model, prompt: 'What is the capital of France?' });
    expect(modelCalls()).toBe(2);
    expect(again.text).toBe('The capital of France is Paris.');
    expect(getCacheMetadata(again.providerMetadata)).toMatchObject({ cached: false });
    // The middleware passed the lookup's pending verification to store: the answers were compared.
    expect(engine.verificationStats()).toMatchObject({
      verificationCalls: 1,
      wouldHaveServed: { exact: 1, wrong: 0 },
    });
  });
});
