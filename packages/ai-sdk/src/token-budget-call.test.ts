import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { CostLedger, getTokenCounter, type OutputLengthPredictor } from '@tokenomics/core';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { compressionMiddleware, getCompressionMetadata } from './compression-middleware';
import { ANSWER, TOPICS } from './test-utils/compression-fixture';
import { fakeModel } from './test-utils/fake-model';

/** Four office notes and the fact the question needs, repeated over forty documents. */
const FACTS = [...TOPICS.slice(0, 4), ANSWER];
const DOCUMENTS = Array.from(
  { length: 40 },
  (_, index) => `Document [${index + 1}](Title: Note ${index}) ${FACTS[index % FACTS.length]}`,
).join('\n');
const PROMPT = `${DOCUMENTS}\n\nQuestion: When did the harbor bridge open?\nAnswer:`;

/** Always predicts 60 answer tokens: the tests set what the limit should be. */
const sixty: OutputLengthPredictor = { id: 'sixty', predict: () => 60 };

/** A model that needs `needed` output tokens: under a lower limit its answer is cut ('length'). */
function setup(tokenBudget: number | (() => number | undefined), needed = 40) {
  const calls: LanguageModelV4CallOptions[] = [];
  const ledger = new CostLedger();
  const inner = fakeModel((params) => {
    calls.push(params);
    const limit = params.maxOutputTokens ?? Number.POSITIVE_INFINITY;
    return limit < needed
      ? { text: 'The harbor bridge', finishReason: 'length', outputTokens: limit }
      : { text: 'It opened in 1932.', outputTokens: needed };
  });
  const model = wrapLanguageModel({
    model: inner,
    middleware: compressionMiddleware({ tokenBudget, outputLength: sixty, ledger }),
  });
  return { calls, ledger, model };
}

describe('compressionMiddleware tokenBudget', () => {
  it('compresses the prompt to the budget minus the predicted answer, and sets the output limit', async () => {
    const { calls, ledger, model } = setup(400);
    const result = await generateText({ model, prompt: PROMPT });
    const { count } = await getTokenCounter();
    const compressed = getCompressionMetadata(result.providerMetadata)!;
    const limit = calls[0]!.maxOutputTokens!;
    // Prompt and answer limit together stay within the budget; the answer gets at most the prediction.
    expect(compressed.tokensBefore).toBeGreaterThan(600);
    expect(compressed.tokensAfter + limit).toBeLessThanOrEqual(400);
    expect(limit).toBeGreaterThan(0);
    expect(limit).toBeLessThanOrEqual(60);
    const sent = calls[0]!.prompt.map((message) =>
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
    );
    expect(count(sent.join('\n'))).toBeLessThan(count(PROMPT) / 1.5);
    expect(sent.join('\n')).toContain('Question: When did the harbor bridge open?');
    expect(result.text).toBe('It opened in 1932.');
    expect(ledger.totals()).toMatchObject({ calls: 1, truncatedCalls: 0 });
  });

  it('a budget too tight cuts the answer, and the ledger counts the truncation', async () => {
    const { calls, ledger, model } = setup(60, 40);
    const result = await generateText({ model, prompt: PROMPT });
    expect(calls[0]!.maxOutputTokens).toBeLessThan(40);
    expect(result.finishReason).toBe('length');
    expect(ledger.totals().truncatedCalls).toBe(1);
  });

  it('counts truncation on streams too', async () => {
    const { ledger, model } = setup(60, 40);
    const result = streamText({ model, prompt: PROMPT });
    await result.consumeStream();
    expect(await result.finishReason).toBe('length');
    expect(ledger.totals().truncatedCalls).toBe(1);
  });

  it('leaves a call without a budget alone (a per-request budget function returning undefined)', async () => {
    const { calls, ledger, model } = setup(() => undefined);
    await generateText({ model, prompt: 'When did the harbor bridge open?' });
    expect(calls[0]!.maxOutputTokens).toBeUndefined();
    expect(ledger.totals().calls).toBe(0);
  });
});
