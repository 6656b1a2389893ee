import { describe, expect, it } from 'vitest';
import { CHEAP, textAnswer, userRequest } from '../test-support/router-fixtures';
import type { ScoreInput, TierAnswer } from '../types';
import { agreementScorer, answerSimilarity } from './agreement-scorer';
import { hedgingScorer, heuristicScorers, refusalScorer, truncationScorer } from './heuristic-scorers';
import { functionScorer, learnedScorer } from './learned-scorer';
import { llmJudgeScorer } from './llm-judge-scorer';
import { logprobConfidenceScorer } from './logprob-confidence-scorer';
import { scoreAnswer } from './score-answer';
import { structuredOutputScorer } from './structured-output-scorer';

function input(answer: TierAnswer, extra: Partial<ScoreInput> = {}): ScoreInput {
  return { request: userRequest('What is 17 * 3?'), answer, tier: CHEAP, random: () => 0.5, ...extra };
}

describe('heuristic scorers', () => {
  it('sink empty answers, refusals, and truncated answers; pass a plain answer', async () => {
    const combined = async (answer: TierAnswer) =>
      (await scoreAnswer(heuristicScorers(), input(answer))).score;
    expect(await combined(textAnswer('51'))).toBe(1);
    expect(await combined(textAnswer('  '))).toBe(0);
    expect(await combined(textAnswer("I'm sorry, but I cannot help with that."))).toBe(0);
    expect(await combined(textAnswer('As an AI language model, I cannot browse the web.'))).toBe(0);
    expect(await combined(textAnswer('The answer is', { finishReason: 'length' }))).toBe(0.1);
    // A tool call is an answer, even without text.
    expect(
      await combined({
        content: [{ type: 'tool-call', toolCallId: '1', toolName: 'calc', input: {} }],
        finishReason: 'tool-calls',
        usage: {},
      }),
    ).toBe(1);
  });

  it('refusal only looks at the opening, hedging counts hedges', () => {
    const later = `${'The tower is 330 metres tall. '.repeat(20)}I cannot help with anything else.`;
    expect(refusalScorer().score(input(textAnswer(later)))).toMatchObject({ score: 1 });
    expect(hedgingScorer().score(input(textAnswer("I'm not sure, but it may be 51.")))).toMatchObject({
      score: 0.5,
    });
    expect(hedgingScorer().score(input(textAnswer("I don't know. I'm not sure.")))).toMatchObject({
      score: 0.25,
    });
    expect(truncationScorer().score(input(textAnswer('x', { finishReason: 'stop' })))).toMatchObject({
      score: 1,
    });
  });
});

describe('structuredOutputScorer', () => {
  const scorer = structuredOutputScorer();
  const tools = [
    {
      name: 'weather',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ];
  const call = (toolName: string, args: unknown): TierAnswer => ({
    content: [{ type: 'tool-call', toolCallId: 'c1', toolName, input: args }],
    finishReason: 'tool-calls',
    usage: {},
  });

  it('says nothing about a plain-text answer', () => {
    expect(scorer.score(input(textAnswer('51')))).toBeUndefined();
  });

  it('accepts fenced JSON and rejects invalid JSON', () => {
    const request = userRequest('json please', { settings: { responseFormat: { type: 'json' } } });
    expect(scorer.score(input(textAnswer('```json\n{"a":1}\n```'), { request }))).toMatchObject({ score: 1 });
    expect(scorer.score(input(textAnswer('{"a":1'), { request }))).toMatchObject({
      score: 0,
      reason: 'invalid JSON',
    });
  });

  it('checks tool-call arguments against the tool schema, as objects or JSON text', async () => {
    const request = userRequest('weather in Paris?', { tools });
    expect(scorer.score(input(call('weather', { city: 'Paris' }), { request }))).toMatchObject({ score: 1 });
    expect(scorer.score(input(call('weather', '{"city":"Paris"}'), { request }))).toMatchObject({ score: 1 });
    expect((await scorer.score(input(call('weather', { town: 'Paris' }), { request })))?.reason).toContain(
      "missing required property 'city'",
    );
    expect((await scorer.score(input(call('weather', '{city:'), { request })))?.reason).toContain('not JSON');
    expect((await scorer.score(input(call('stocks', {}), { request })))?.reason).toBe(
      "unknown tool 'stocks'",
    );
  });
});

describe('logprobConfidenceScorer', () => {
  it('scores the geometric-mean token probability, in every shape providers use', async () => {
    const scorer = logprobConfidenceScorer();
    const confident = Math.log(0.95);
    const unsure = Math.log(0.55);
    const high = await scorer.score(
      input(textAnswer('51', { metadata: { logprobs: [confident, confident] } })),
    );
    const low = await scorer.score(
      input(textAnswer('51', { metadata: { logprobs: { content: [{ logprob: unsure }] } } })),
    );
    expect(high?.score).toBeCloseTo(0.9, 6);
    expect(low?.score).toBeCloseTo(0.1, 6);
    expect(scorer.score(input(textAnswer('51')))).toBeUndefined();
  });
});

describe('agreementScorer', () => {
  it('compares final numbers, else word overlap', () => {
    expect(answerSimilarity('17 * 3 = 51', 'The result is 51.')).toBe(1);
    expect(answerSimilarity('so 50', 'it is 51')).toBe(0);
    expect(answerSimilarity('Paris is the capital', 'the capital is Paris')).toBe(1);
    expect(answerSimilarity('red apple', 'green pear')).toBe(0);
  });

  it('asks the same tier for a second answer', async () => {
    const calls: string[] = [];
    const scorer = agreementScorer();
    const result = await scorer.score(
      input(textAnswer('It is 51.'), {
        callTier: async (tier, purpose) => {
          calls.push(`${tier.id}:${purpose}`);
          return textAnswer('17 times 3 is 52');
        },
      }),
    );
    expect(calls).toEqual(['cheap:agreement']);
    expect(result?.score).toBe(0);
  });
});

describe('judge, learned and function scorers', () => {
  it('judges only the sampled share', async () => {
    let judged = 0;
    const scorer = llmJudgeScorer({ judge: async () => ++judged && 0.8, sampleShare: 0.3 });
    expect(await scorer.score(input(textAnswer('51'), { random: () => 0.9 }))).toBeUndefined();
    expect(await scorer.score(input(textAnswer('51'), { random: () => 0.1 }))).toMatchObject({ score: 0.8 });
    expect(judged).toBe(1);
  });

  it('a learned model sees the prompt, the answer and its logprobs', async () => {
    const seen: unknown[] = [];
    const scorer = learnedScorer({
      id: 'test-model',
      predict: (features) => {
        seen.push([features.prompt, features.answerText, features.logprobs]);
        return 0.25;
      },
    });
    const result = await scorer.score(input(textAnswer('51', { metadata: { logprobs: [-0.1] } })));
    expect(result).toMatchObject({ scorer: 'learned:test-model', score: 0.25 });
    expect(seen).toEqual([['What is 17 * 3?', '51', [-0.1]]]);
  });

  it('combines by minimum by default and skips a scorer that throws', async () => {
    const broken = functionScorer('broken', () => {
      throw new Error('no');
    });
    const combined = await scoreAnswer(
      [functionScorer('a', () => 0.9), functionScorer('b', () => 0.4), broken],
      input(textAnswer('x')),
    );
    expect(combined.score).toBe(0.4);
    expect(combined.errors).toEqual([{ scorer: 'broken', message: 'no' }]);
    const mean = await scoreAnswer(
      [functionScorer('a', () => 0.9), functionScorer('b', () => 0.4)],
      input(textAnswer('x')),
      'mean',
    );
    expect(mean.score).toBeCloseTo(0.65, 10);
  });
});
