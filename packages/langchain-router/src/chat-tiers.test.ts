import type { AIMessageChunk } from '@langchain/core/messages';
import { CostLedger, cascade, type ModelPriceOverride, refusalScorer, type Usage } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel } from './router-chat-model';

// A fine-tuned model the price registry lacks, and gpt-4o at a negotiated rate below its list price.
const TUNED: ModelPriceOverride = { inputPerMillion: 0.3, outputPerMillion: 1.2 };
const NEGOTIATED: ModelPriceOverride = { inputPerMillion: 1.5, outputPerMillion: 6 };

const atRates = (rates: ModelPriceOverride, usage: Usage) =>
  ((usage.inputTokens ?? 0) * rates.inputPerMillion + (usage.outputTokens ?? 0) * rates.outputPerMillion) /
  1_000_000;

describe('chat tier prices', () => {
  it('are the dollars in response_metadata and the ledger, for both calls of an escalation', async () => {
    const cheap = new ScriptedChatModel({
      model: 'ft-small',
      answers: () => ({ text: "I'm sorry, but I can't help with that." }),
    });
    const strong = new ScriptedChatModel({
      model: 'gpt-4o',
      answers: () => ({ text: 'Lima is the capital.' }),
    });
    // The ledger prices by the bundled registry: it knows gpt-4o at list price only.
    const ledger = new CostLedger();
    expect(ledger.pricing.price('openai:gpt-4o')?.inputPerMillion).toBeGreaterThan(
      NEGOTIATED.inputPerMillion,
    );
    const router = new RouterChatModel({
      tiers: [
        { id: 'large', modelId: 'openai:gpt-4o', model: strong, price: NEGOTIATED },
        { id: 'tuned', modelId: 'acme:ft-small-2026', model: cheap, price: TUNED },
      ],
      policy: cascade({ scorers: [refusalScorer()] }),
      ledger,
    });

    const answer = (await router.invoke('What is the capital of Peru?')) as AIMessageChunk;

    const metadata = getRouteMetadata(answer)!;
    expect(metadata.route.attempts.map((attempt) => `${attempt.tier}:${attempt.outcome}`)).toEqual([
      'tuned:escalated',
      'large:accepted',
    ]);
    const record = ledger.entries({ traceId: metadata.route.traceId })[0]!;
    const calls = record.spent.calls ?? [];
    const tunedUsage = calls.find((call) => call.model === 'acme:ft-small-2026')!.usage;
    const strongUsage = calls.find((call) => call.model === 'openai:gpt-4o')!.usage;
    // The answer's usage is everything the run spent: both calls.
    expect(answer.usage_metadata?.output_tokens).toBe(
      (strongUsage.outputTokens ?? 0) + (tunedUsage.outputTokens ?? 0),
    );
    const expected = atRates(TUNED, tunedUsage) + atRates(NEGOTIATED, strongUsage);
    expect(expected).toBeGreaterThan(0);
    expect(metadata.cost.dollars).toBeCloseTo(expected, 12);
    expect(metadata.cost.baselineDollars).toBeCloseTo(atRates(NEGOTIATED, strongUsage), 12);
    expect(metadata.cost.priceKnown).toBe(true);
    expect(record.spent.dollars).toBeCloseTo(expected, 12);
    expect(record.baseline.dollars).toBeCloseTo(metadata.cost.baselineDollars, 12);
    expect(record.priceKnown).toBe(true);
  });
});
