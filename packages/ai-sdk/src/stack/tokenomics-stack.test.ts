import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { type CacheEntryStore, classifierPrior, type DecisionTrace } from '@tokenomics/core';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { ANSWER, TOPICS } from '../test-utils/compression-fixture';
import { fakeModel, lastUserText } from '../test-utils/fake-model';
import { createTokenomicsStack, type TokenomicsStackOptions } from './tokenomics-stack';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};

const LONG_CONTEXT = `${Array.from({ length: 40 }, (_, index) => `Note ${index}: ${TOPICS[0]}`).join(' ')} ${ANSWER}`;

/** Two tiers that record the prompts they got; the prior sends "prove" questions to the strong tier. */
function setup(overrides: Partial<TokenomicsStackOptions> = {}) {
  const seen: { cheap: LanguageModelV4CallOptions[]; strong: LanguageModelV4CallOptions[] } = {
    cheap: [],
    strong: [],
  };
  const cheap = fakeModel((params) => {
    seen.cheap.push(params);
    return { text: `cheap: ${lastUserText(params)}`, inputTokens: promptLength(params), outputTokens: 10 };
  });
  const strong = fakeModel((params) => {
    seen.strong.push(params);
    return { text: `strong: ${lastUserText(params)}`, inputTokens: promptLength(params), outputTokens: 30 };
  });
  const traces: DecisionTrace[] = [];
  const stack = createTokenomicsStack({
    router: {
      tiers: [
        { id: 'cheap', modelId: 'test:cheap', model: cheap, price: PRICES.cheap },
        { id: 'strong', modelId: 'test:strong', model: strong, price: PRICES.strong },
      ],
      policy: classifierPrior({ prior: (features) => (/prove/i.test(features.text) ? 0.1 : 0.9) }),
    },
    cache: { coalesce: false },
    compression: { rate: 0.3, minTokens: 0 },
    traceSinks: [(trace) => void traces.push(trace)],
    ...overrides,
  });
  return { stack, seen, traces };
}

/** Characters / 4: enough for the fake tiers to report a prompt-sized usage. */
function promptLength(params: LanguageModelV4CallOptions): number {
  return Math.ceil(JSON.stringify(params.prompt).length / 4);
}

/** A question, after a retrieved document in its own user turn when there is one. */
const ask = (model: Parameters<typeof generateText>[0]['model'], question: string, context = '') =>
  generateText({
    model,
    messages: [
      ...(context ? [{ role: 'user' as const, content: `Retrieved document: ${context}` }] : []),
      { role: 'user' as const, content: question },
    ],
  });

describe('createTokenomicsStack', () => {
  it('serves a repeated question from the cache: one ledger record and one trace per call, the hit saved by the cache', async () => {
    const { stack, seen, traces } = setup();
    const first = await ask(stack.model, 'What is the capital of France?');
    const second = await ask(stack.model, 'What is the capital of France?');
    expect(second.text).toBe(first.text);
    expect(seen.cheap.length + seen.strong.length).toBe(1);
    const records = stack.ledger.entries();
    expect(records.map((record) => record.stage)).toEqual(['pipeline', 'pipeline']);
    expect(traces).toHaveLength(2);
    expect(records[1]?.savedByStage?.cache.dollars).toBeGreaterThan(0);
    expect(records[1]?.spent.dollars).toBe(0);
    expect(records[1]?.baselineSource).toBe('recorded');
    expect(traces[1]?.steps.map((step) => step.stage)).toEqual(['cache', 'ledger']);
  });

  it('compresses a long retrieval prompt and routes an easy question to the cheap tier, splitting the saving', async () => {
    const recorded = { inputTokens: 900, outputTokens: 30 };
    const { stack, seen, traces } = setup({ recordedBaseline: () => recorded });
    await ask(stack.model, 'When did the harbor bridge open?', LONG_CONTEXT);
    expect(seen.cheap).toHaveLength(1);
    expect(promptLength(seen.cheap[0] as LanguageModelV4CallOptions)).toBeLessThan(LONG_CONTEXT.length / 4);
    const [record] = stack.ledger.entries();
    expect(record?.baselineSource).toBe('recorded');
    expect(record?.baselineModel).toBe('test:strong');
    expect(record?.savedByStage?.compression.tokens).toBeGreaterThan(0);
    expect(record?.savedByStage?.routing.dollars).toBeGreaterThan(0);
    expect(traces[0]?.steps.map((step) => step.stage)).toEqual([
      'cache',
      'cache',
      'compression',
      'router',
      'ledger',
    ]);
  });

  it('switches each stage off: no cache hit, no compression, the plain model answers', async () => {
    const model = fakeModel((params) => ({ text: `plain: ${lastUserText(params)}` }));
    const { stack } = setup({ router: false, cache: false, compression: false, model });
    await ask(stack.model, 'What is the capital of France?', LONG_CONTEXT);
    await ask(stack.model, 'What is the capital of France?', LONG_CONTEXT);
    expect(model.doGenerateCalls).toHaveLength(2);
    expect(JSON.stringify(model.doGenerateCalls[0]?.prompt)).toContain('Note 39');
    const records = stack.ledger.entries();
    expect(records.map((record) => [record.baselineSource, record.saved.tokens])).toEqual([
      ['call', 0],
      ['call', 0],
    ]);
    expect(stack.cache).toBeUndefined();
  });

  it('in shadow mode makes the baseline call every time while each stage reports what it would have done', async () => {
    const reports: Array<{ shadowRoute?: { tier: string }; compression?: { shadow?: boolean } }> = [];
    const { stack, seen } = setup({ shadow: true, onCall: (report) => reports.push(report) });
    await ask(stack.model, 'When did the harbor bridge open?', LONG_CONTEXT);
    await ask(stack.model, 'When did the harbor bridge open?', LONG_CONTEXT);
    expect(seen.cheap).toHaveLength(0);
    expect(seen.strong).toHaveLength(2);
    expect(JSON.stringify(seen.strong[0]?.prompt)).toContain('Note 39');
    expect(reports.map((report) => report.shadowRoute?.tier)).toEqual(['cheap', 'cheap']);
    expect(reports[0]?.compression?.shadow).toBe(true);
    const records = stack.ledger.entries();
    expect(records.every((record) => record.baselineSource === 'call' && record.saved.dollars === 0)).toBe(
      true,
    );
  });

  it('degrades to the model when the cache store is down, and still records the call', async () => {
    const down: CacheEntryStore = new Proxy({} as CacheEntryStore, {
      get: () => async () => {
        throw new Error('store down');
      },
    });
    const warnings: string[] = [];
    const { stack, seen } = setup({
      cache: { store: down, onWarning: (warning) => warnings.push(warning.code) },
    });
    const result = await ask(stack.model, 'What is the capital of France?');
    const again = await ask(stack.model, 'What is the capital of France?');
    expect([result.text, again.text]).toEqual([
      'cheap: What is the capital of France?',
      'cheap: What is the capital of France?',
    ]);
    expect(seen.cheap).toHaveLength(2);
    expect(warnings.length).toBeGreaterThan(0);
    expect(stack.ledger.entries()).toHaveLength(2);
  });

  it('accounts a streamed call once, when its finish part arrives', async () => {
    const { stack, traces } = setup();
    const result = streamText({ model: stack.model, prompt: 'Prove that there are infinitely many primes.' });
    expect(await result.text).toBe('strong: Prove that there are infinitely many primes.');
    expect(stack.ledger.entries()).toHaveLength(1);
    expect(traces).toHaveLength(1);
    expect(stack.ledger.entries()[0]?.model).toBe('test:strong');
  });
});
