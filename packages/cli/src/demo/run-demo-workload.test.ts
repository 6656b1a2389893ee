import { HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { answerBook } from '../stand-in';
import { AnswerTopics } from './answer-topics';
import { runDemoWorkload } from './run-demo-workload';
import { demoWorkload, workloadAnswerTable } from './workload';

describe('the demo workload on the offline stand-in', () => {
  it('serves repeats from the cache in both frameworks and never another question’s answer', async () => {
    const workload = demoWorkload;
    const book = answerBook(workloadAnswerTable(workload));
    const engine = new SemanticCache({
      embedder: new HashingEmbedder(),
      verifier: false,
      onWarning: () => {},
    });
    const answers = await AnswerTopics.load(undefined);
    for (const [topic, text] of Object.entries(workload.answers)) answers.remember(text, topic);

    const result = await runDemoWorkload({
      workload,
      engine,
      model: { offline: true, book, pricedAs: 'openai:gpt-4o-mini' },
      frameworks: ['langchain', 'ai-sdk'],
      answers,
    });
    await engine.close();

    expect(result.rows).toHaveLength(workload.requests.length * 2);
    expect(result.totals.wrongHits).toBe(0);
    for (const framework of ['langchain', 'ai-sdk'] as const) {
      const rows = result.rows.filter((row) => row.framework === framework);
      for (const row of rows) {
        if (row.request.expect === 'hit')
          expect({ id: row.request.id, ...row.outcome }).toMatchObject({ decision: 'hit', kind: 'exact' });
        if (row.request.expect === 'miss')
          expect({ id: row.request.id, decision: row.outcome.decision }).toMatchObject({ decision: 'miss' });
        // Every answer, hit or miss, is the stand-in's answer to this request's own topic.
        expect(row.outcome.text).toBe(workload.answers[row.request.topic]);
      }
      const totals = result.byFramework[framework]!;
      expect(totals.hits).toBeGreaterThanOrEqual(rows.filter((row) => row.request.expect === 'hit').length);
    }

    // Misses spend what the model reported; hits spend nothing and save the stored answer's usage.
    const miss = result.rows.find((row) => row.outcome.decision === 'miss')!;
    expect(miss.spentTokens).toBeGreaterThan(0);
    expect(miss.savedTokens).toBe(0);
    const hit = result.rows.find((row) => row.outcome.decision === 'hit')!;
    expect(hit.spentTokens).toBe(0);
    expect(hit.savedTokens).toBeGreaterThan(0);
    expect(hit.savedDollars).toBeGreaterThan(0);
    expect(result.totals.baselineDollars).toBeCloseTo(
      result.totals.spentDollars + result.totals.savedDollars,
      12,
    );
    expect(result.totals.savedDollars).toBeGreaterThan(0);
  });

  it('counts a hit that serves another topic’s answer as wrong', async () => {
    const workload = {
      system: 'Answer briefly.',
      answers: { first: 'Answer one.', second: 'Answer two.' },
      requests: [
        {
          id: 'a',
          tenant: 'acme' as const,
          question: 'Same words?',
          topic: 'first',
          expect: 'miss' as const,
          note: 'first ask' as const,
        },
        // The same text labelled with another topic: the cache serves 'first', which is wrong for it.
        {
          id: 'b',
          tenant: 'acme' as const,
          question: 'Same words?',
          topic: 'second',
          expect: 'miss' as const,
          note: 'look-alike' as const,
        },
      ],
    };
    const engine = new SemanticCache({ verifier: false, onWarning: () => {} });
    const answers = await AnswerTopics.load(undefined);
    const result = await runDemoWorkload({
      workload,
      engine,
      model: {
        offline: true,
        book: answerBook(new Map([['Same words?', 'Answer one.']])),
        pricedAs: 'openai:gpt-4o-mini',
      },
      frameworks: ['ai-sdk'],
      answers,
    });
    await engine.close();
    expect(result.rows[1]!.outcome.decision).toBe('hit');
    expect(result.rows[1]!.wrongHit).toBe(true);
    expect(result.totals.wrongHits).toBe(1);
  });
});
