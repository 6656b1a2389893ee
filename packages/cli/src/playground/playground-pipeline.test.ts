import type { LedgerRecord } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { createPlaygroundPipeline } from './playground-pipeline';

const documents = Array.from({ length: 24 }, (_, index) =>
  index === 6
    ? '[7] The Eiffel Tower was completed in March 1889 for the World Fair in Paris.'
    : `[${index + 1}] Paris has many monuments; document ${index + 1} describes museums, parks, bridges and cafés along the Seine in some detail, with opening hours and ticket prices for visitors.`,
);
const RAG_PROMPT = `Context:\n${documents.join('\n')}\n\nQuestion: When was the Eiffel Tower completed?`;

describe('the playground pipeline (offline stand-in)', () => {
  it('serves a repeated prompt from the cache at no cost, against the baseline of the first answer', async () => {
    const records: unknown[] = [];
    const pipeline = createPlaygroundPipeline({
      mode: 'offline',
      onRecord: (record) => void records.push(record),
    });
    const first = await pipeline.run('How do I reset my password?');
    const again = await pipeline.run('How do I reset my password?');
    expect(first.cache).toBe('miss');
    expect(again.cache).toBe('exact hit');
    expect(again.answer).toBe(first.answer);
    expect(again.dollars).toBe(0);
    // The hit is credited with the unoptimized call it replaced: the first prompt's baseline.
    expect(again.baselineDollars).toBeCloseTo(first.baselineDollars, 12);
    expect(again.savedByStage.cache).toBeCloseTo(again.baselineDollars, 12);
    expect(again.steps.map((step) => `${step.stage}:${step.decision}`)).toEqual(['cache:hit']);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({
      stage: 'cache',
      savedByStage: { cache: { dollars: again.baselineDollars } },
    });
  });

  it('escalates a weak cheap answer and charges both calls', async () => {
    const records: Array<
      Omit<LedgerRecord, 'savedByStage'> & { savedByStage: Record<string, { dollars: number }> }
    > = [];
    const pipeline = createPlaygroundPipeline({
      mode: 'offline',
      onRecord: (record) => void records.push(record),
    });
    const turn = await pipeline.run('Prove that there are infinitely many primes.');
    expect(turn.model).toBe('openai:gpt-4o');
    const cascade = turn.steps.filter((step) => step.stage === 'cascade').map((step) => step.decision);
    expect(cascade[0]).toBe('escalate');
    // Both tiers were paid for: more than the strong model alone on the same prompt.
    expect(turn.dollars).toBeGreaterThan(turn.baselineDollars);
    expect(turn.savedByStage.routing).toBeLessThan(0);
    expect(records[0]).toMatchObject({ model: 'openai:gpt-4o', stage: 'none' });
    expect(records[0]!.spent.calls?.map((call) => call.model)).toEqual([
      'openai:gpt-4o',
      'openai:gpt-4o-mini',
    ]);
  });

  it('compresses retrieved context and counts the saving under compression', async () => {
    const pipeline = createPlaygroundPipeline({ mode: 'offline' });
    const turn = await pipeline.run(RAG_PROMPT);
    const compression = turn.steps.find((step) => step.stage === 'compression')!;
    expect(compression.decision).toBe('compress');
    expect(turn.savedByStage.compression).toBeGreaterThan(0);
    expect(turn.dollars).toBeLessThan(turn.baselineDollars);
    const totals = pipeline.totals();
    expect(totals.turns).toBe(1);
    expect(totals.running).toEqual([
      { turn: 1, dollars: turn.dollars, baselineDollars: turn.baselineDollars },
    ]);
  });
});
