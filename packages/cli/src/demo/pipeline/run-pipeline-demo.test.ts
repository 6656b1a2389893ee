import { fixed, HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { AnswerTopics } from '../answer-topics';
import { demoWorkload } from '../workload';
import { aiSdkPipeline, langChainPipeline } from './pipeline-clients';
import { pipelineTotals } from './pipeline-report';
import { offlineBaseline, offlineTiers } from './pipeline-setup';
import { type PipelineRequest, pipelineWorkload } from './pipeline-workload';
import type { RecordedQuestion } from './routing-sample';
import { damagedSpans, finalNumber, runPipelineDemo } from './run-pipeline-demo';

/** Constructed routing questions (the demo itself reads recorded ones from ../shared). */
const QUESTIONS: RecordedQuestion[] = [
  {
    id: 'easy',
    prompt: 'Tom has 3 apples and buys 4 more. How many apples does he have?',
    weak: { text: 'Tom has 3 + 4 = 7 apples. The answer is 7.', correct: true },
    strong: { text: '3 + 4 = 7. The answer is 7.', correct: true },
  },
  {
    id: 'hard',
    prompt: 'Prove that a train leaving at 3 pm at 60 mph is 150 miles away at 5:30 pm.',
    weak: { text: 'It is 120 miles away. The answer is 120.', correct: false },
    strong: { text: '2.5 hours at 60 mph is 150 miles. The answer is 150.', correct: true },
  },
];

/** Easy questions to the weak tier, "prove" ones to the strong tier: a policy whose choices the test knows. */
function policy() {
  return {
    name: 'by-keyword',
    decide: async (context: Parameters<ReturnType<typeof fixed>['decide']>[0]) =>
      fixed(/prove/i.test(context.features.text) ? 'strong' : 'weak').decide(context),
  };
}

async function run(requests: PipelineRequest[]) {
  const engine = new SemanticCache({ embedder: new HashingEmbedder(), verifier: false, onWarning: () => {} });
  const answers = await AnswerTopics.load(undefined);
  const tiers = offlineTiers(demoWorkload, requests, answers);
  const options = { engine, tiers, policy, compressionRate: 0.4 };
  const rows = await runPipelineDemo({
    requests,
    clients: [await langChainPipeline(options), await aiSdkPipeline(options)],
    answers,
    standIn: tiers.books,
    baseline: offlineBaseline(tiers),
  });
  await engine.close();
  return rows;
}

describe('the pipeline demo on the offline stand-ins', () => {
  it('runs the mixed workload through both frameworks: right hits only, documents compressed intact, routing graded by recorded answers', async () => {
    const requests = pipelineWorkload(demoWorkload, QUESTIONS);
    const rows = await run(requests);
    expect(rows).toHaveLength(requests.length * 2);
    for (const framework of ['langchain', 'ai-sdk'] as const) {
      const mine = rows.filter((row) => row.framework === framework);
      const totals = pipelineTotals(mine);
      expect(totals.wrongHits).toBe(0);
      expect(totals.damagedSpans).toBe(0);
      for (const row of mine) {
        if (row.request.expect === 'hit')
          expect({ id: row.request.id, ...row.cache }).toMatchObject({ decision: 'hit', kind: 'exact' });
        if (row.request.expect === 'miss')
          expect({ id: row.request.id, decision: row.cache.decision }).toMatchObject({ decision: 'miss' });
      }
      expect(totals.compression.tokensAfter).toBeLessThan(totals.compression.tokensBefore);
      expect(totals.compression.retained).toBe(totals.compression.answered);
      // The easy question went to the weak tier and was right; the hard one to the strong tier.
      const routed = mine.filter((row) => row.request.kind === 'routing');
      expect(routed.map((row) => [row.route?.tier, row.correct])).toEqual([
        ['weak', true],
        ['strong', true],
      ]);
      // Savings by stage add up to baseline minus spent, and each optimizing stage saved something.
      const split = totals.savedByStage;
      expect(split.cache + split.compression + split.routing + split.cascade).toBeCloseTo(
        totals.baselineDollars - totals.spentDollars,
        10,
      );
      expect(split.cache).toBeGreaterThan(0);
      expect(split.compression).toBeGreaterThan(0);
      expect(split.routing).toBeGreaterThan(0);
    }
  });

  it('counts a hit that serves another topic’s answer as wrong', async () => {
    const [first] = pipelineWorkload(demoWorkload, []);
    if (!first) throw new Error('workload');
    // The same words labelled with another topic: the cache serves the first answer, which is wrong for it.
    const rows = await run([first, { ...first, id: 'twin', topic: 'another-topic' }]);
    const twin = rows.find((row) => row.framework === 'ai-sdk' && row.request.id === 'twin');
    expect(twin?.cache.decision).toBe('hit');
    expect(twin?.wrongHit).toBe(true);
  });

  it('reports a protected span that reached the model in part, and a changed question', () => {
    const [request] = pipelineWorkload(demoWorkload, []).filter(
      (candidate) => candidate.kind === 'retrieval',
    );
    if (!request?.protectedSpans) throw new Error('workload');
    const span = request.protectedSpans[0] ?? '';
    const question = request.turns.at(-1)?.text ?? '';
    expect(damagedSpans(request, ['doc', question], `kept whole: ${span}`)).toEqual([]);
    expect(damagedSpans(request, ['doc', question], 'dropped whole')).toEqual([]);
    expect(damagedSpans(request, ['doc', question], `cut: ${span.slice(0, 30)} …`)).toEqual([span]);
    expect(damagedSpans(request, ['doc', `${question} please`], span)).toHaveLength(1);
  });

  it('reads the final number of an answer, as a real model writes it', () => {
    expect(finalNumber('She pays 3 × $1,250 = $3,750.\n#### 3750')).toBe('3750');
    expect(finalNumber('The answer is 12.50 dollars.')).toBe('12.5');
    expect(finalNumber('I cannot tell.')).toBeUndefined();
  });
});
