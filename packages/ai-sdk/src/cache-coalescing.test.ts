import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import type { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { type CacheMiddlewareSharedOptions, cacheMiddleware } from './cache-middleware';
import { fakeUsage, lastUserText } from './test-utils/fake-model';
import { mockLanguageModel } from './test-utils/mock-language-model';

/** A model whose answers wait until the test releases them, so calls really overlap. */
function gatedModel(options: { failFirst?: boolean } = {}) {
  const gates: Array<() => void> = [];
  let calls = 0;
  const waitForGate = () => new Promise<void>((release) => gates.push(release));
  const model = mockLanguageModel({
    provider: 'fake',
    modelId: 'fake-model',
    doGenerate: async (params: LanguageModelV4CallOptions) => {
      const call = ++calls;
      await waitForGate();
      if (options.failFirst && call === 1) throw new Error('provider overloaded');
      return {
        content: [{ type: 'text', text: `Answer ${call} to: ${lastUserText(params)}` }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: fakeUsage(20, 6),
        warnings: [],
      };
    },
    doStream: async (params: LanguageModelV4CallOptions) => {
      const call = ++calls;
      await waitForGate();
      return {
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start', id: 't' },
            { type: 'text-delta', id: 't', delta: `Answer ${call} to: ` },
            { type: 'text-delta', id: 't', delta: lastUserText(params) },
            { type: 'text-end', id: 't' },
            { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: fakeUsage(20, 6) },
          ],
        }),
      };
    },
  });
  return {
    model,
    calls: () => calls,
    /** Releases every call waiting so far, once they have all reached the model. */
    release: async (expected: number) => {
      while (gates.length < expected) await new Promise((resolve) => setTimeout(resolve, 1));
      for (const open of gates.splice(0)) open();
    },
  };
}

function cached(inner: MockLanguageModelV4, options: CacheMiddlewareSharedOptions = {}) {
  const middleware = cacheMiddleware({
    engine: new SemanticCache({ embedder: new HashingEmbedder(), verifier: false, onWarning: () => {} }),
    onWarning: () => {},
    ...options,
  });
  return wrapLanguageModel({ model: inner, middleware });
}

const ask = { prompt: 'What is the capital of France?', temperature: 0 } as const;

describe('cacheMiddleware request coalescing', () => {
  it('sends identical concurrent calls to the model once; the others get the stored answer', async () => {
    const gated = gatedModel();
    const model = cached(gated.model);
    const calls = Promise.all([1, 2, 3].map(() => generateText({ model, ...ask })));
    await gated.release(1);
    const results = await calls;
    expect(gated.calls()).toBe(1);
    expect(new Set(results.map((result) => result.text))).toEqual(
      new Set(['Answer 1 to: What is the capital of France?']),
    );
    const metadata = results.map((result) => getCacheMetadata(result.providerMetadata)!);
    expect(metadata.filter((entry) => entry.coalesced)).toHaveLength(2);
    expect(metadata.filter((entry) => entry.decision === 'miss')).toHaveLength(1);
  });

  it('never coalesces across scopes', async () => {
    const gated = gatedModel();
    const model = cached(gated.model);
    const tenant = (name: string) => ({ tokenomics: { scope: { tenant: name } } });
    const calls = Promise.all([
      generateText({ model, ...ask, providerOptions: tenant('acme') }),
      generateText({ model, ...ask, providerOptions: tenant('globex') }),
    ]);
    await gated.release(2);
    await calls;
    expect(gated.calls()).toBe(2);
  });

  it('a follower calls the model itself when the call it waited for fails', async () => {
    const gated = gatedModel({ failFirst: true });
    const model = cached(gated.model);
    const first = generateText({ model, ...ask, maxRetries: 0 });
    const second = generateText({ model, ...ask, maxRetries: 0 });
    await gated.release(1);
    await expect(first).rejects.toThrow(/overloaded/);
    await gated.release(1);
    expect((await second).text).toBe('Answer 2 to: What is the capital of France?');
    expect(gated.calls()).toBe(2);
  });

  it('is off with coalesce: false', async () => {
    const gated = gatedModel();
    const model = cached(gated.model, { coalesce: false });
    const calls = Promise.all([generateText({ model, ...ask }), generateText({ model, ...ask })]);
    await gated.release(2);
    await calls;
    expect(gated.calls()).toBe(2);
  });

  it('a streamed follower replays the answer the first stream stored', async () => {
    const gated = gatedModel();
    const model = cached(gated.model);
    const first = streamText({ model, ...ask });
    const second = streamText({ model, ...ask });
    await gated.release(1);
    const [firstText, secondText] = await Promise.all([first.text, second.text]);
    expect(gated.calls()).toBe(1);
    expect(secondText).toBe(firstText);
    expect(getCacheMetadata(await second.providerMetadata)?.coalesced).toBe(true);
  });
});
