import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { generateText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { cacheMiddleware } from './cache-middleware';
import { fakeModel, lastUserText } from './test-utils/fake-model';

const systemTexts = (params: LanguageModelV4CallOptions) =>
  params.prompt.flatMap((message) => (message.role === 'system' ? [message.content] : []));

function setup(nearMatchContext: boolean) {
  const inner = fakeModel((params) => ({ text: `answer to: ${lastUserText(params)}` }));
  const engine = new SemanticCache({
    embedder: new HashingEmbedder(),
    verifier: false,
    threshold: 0.995,
    nearMatch: { minSimilarity: 0.5 },
    onWarning: () => {},
  });
  const model = wrapLanguageModel({
    model: inner,
    middleware: cacheMiddleware({ engine, nearMatchContext }),
  });
  const ask = (prompt: string, tenant = 'acme') =>
    generateText({
      model,
      system: 'Be brief.',
      prompt,
      temperature: 0,
      providerOptions: { tokenomics: { scope: { tenant } } },
    });
  return { inner, ask };
}

describe('cacheMiddleware nearMatchContext', () => {
  it('passes the earlier question and answer to the model as a system message after the own system prompt', async () => {
    const { inner, ask } = setup(true);
    await ask('What is the best way to learn Python quickly for data analysis?');
    const result = await ask('What is the best way to learn Python fast for data analysis?');
    expect(inner.doGenerateCalls).toHaveLength(2);
    const systems = systemTexts(inner.doGenerateCalls[1]!);
    expect(systems[0]).toBe('Be brief.');
    expect(systems[1]).toContain('What is the best way to learn Python quickly for data analysis?');
    expect(systems[1]).toContain(
      'answer to: What is the best way to learn Python quickly for data analysis?',
    );
    // The answer is the model's own, for the question asked; the metadata says context was given.
    expect(result.text).toBe('answer to: What is the best way to learn Python fast for data analysis?');
    expect(getCacheMetadata(result.providerMetadata)?.nearMatchSimilarity).toBeGreaterThan(0.5);
  });

  it('never gives one tenant’s question and answer to another', async () => {
    const { inner, ask } = setup(true);
    await ask('What is the best way to learn Python quickly for data analysis?', 'acme');
    await ask('What is the best way to learn Python fast for data analysis?', 'globex');
    expect(systemTexts(inner.doGenerateCalls[1]!)).toEqual(['Be brief.']);
  });

  it('sends the prompt unchanged when the option is off', async () => {
    const { inner, ask } = setup(false);
    await ask('What is the best way to learn Python quickly for data analysis?');
    await ask('What is the best way to learn Python fast for data analysis?');
    expect(systemTexts(inner.doGenerateCalls[1]!)).toEqual(['Be brief.']);
  });
});
