import { beforeAll, describe, expect, it } from 'vitest';
import type { ReplayRecord } from './replay-record';
import { type TwoTierReport, twoTierReport } from './two-tier-report';

// 200 requests: the weak model fails exactly the long prompts, and says so in its answer.
const records: ReplayRecord[] = Array.from({ length: 200 }, (_, index) => {
  const hard = index % 4 === 0;
  const prompt = hard
    ? `Prove the theorem ${index} step by step ${'with care '.repeat(30)}`
    : `What is ${index}?`;
  return {
    id: String(index),
    prompt,
    group: `subject-${index % 5}`,
    models: {
      weak: {
        correct: hard ? 0 : 1,
        cost: 0.001,
        response: hard ? "Maybe... I can't be sure" : `The answer is ${index}.\n#### ${index}`,
      },
      strong: { correct: 1, cost: 0.1 },
    },
  };
});

describe('two-tier report', () => {
  let report: TwoTierReport;
  beforeAll(async () => {
    report = await twoTierReport(records, { strong: 'strong', weak: 'weak', seed: 1, folds: 5 });
  });
  const policy = (name: string) => report.policies.find((entry) => entry.name === name)!;

  it('lists every policy, with how learned ones were evaluated', () => {
    expect(report.policies.map((entry) => entry.name)).toEqual([
      'always-weak',
      'always-strong',
      'random',
      'length',
      'classifier',
      'classifier:held-out-groups',
      'cascade:heuristics',
      'cascade:engine-heuristics',
      'cascade:learned',
      'combined',
      'oracle',
    ]);
    expect(policy('classifier').evaluation).toContain('5-fold cross-validation');
    expect(policy('classifier:held-out-groups').evaluation).toContain('whole groups');
    expect(report.weakQuality).toBe(0.75);
    expect(report.strongQuality).toBe(1);
  });

  it('a random router recovers half the gap; policies that see the signal recover more', () => {
    expect(policy('random').apgr).toBeCloseTo(0.5, 10);
    expect(policy('length').apgr!).toBeGreaterThan(0.85);
    expect(policy('classifier').apgr!).toBeGreaterThan(0.85);
    expect(policy('cascade:heuristics').apgr!).toBeGreaterThan(0.85);
    expect(policy('oracle').cpt80).toBeCloseTo(0.2, 10);
  });

  it('charges a cascade for both calls: more dollars than routing at the same strong share', () => {
    const cascade = policy('cascade:heuristics').costShareAtStrongQuality!;
    const oracle = policy('oracle').costShareAtStrongQuality!;
    expect(cascade).toBeGreaterThan(oracle);
    expect(oracle).toBeCloseTo((50 * 0.1 + 150 * 0.001) / 20, 10);
    expect(policy('cascade:heuristics').curve[0]).toMatchObject({ strongShare: 0, quality: 0.75 });
  });

  it('with embeddings, routes by the outcomes of the nearest training requests (and only within what it saw)', async () => {
    // Two topics the lexical features cannot tell apart: the embedding says which is which, and
    // the weak model fails every request of topic B.
    const topicOf = (index: number) => (index % 2 === 0 ? 'A' : 'B');
    const topical: ReplayRecord[] = Array.from({ length: 120 }, (_, index) => ({
      id: String(index),
      prompt: `Question number ${index} about the subject?`,
      group: topicOf(index),
      models: {
        weak: { correct: topicOf(index) === 'A' ? 1 : 0, cost: 0.001 },
        strong: { correct: 1, cost: 0.1 },
      },
    }));
    const embeddings = new Map(
      topical.map((record, index) => {
        const vector = new Float32Array(512);
        vector[topicOf(index) === 'A' ? 0 : 1] = 1;
        vector[2 + (index % 14)] = 0.3;
        return [record.prompt, vector] as const;
      }),
    );
    const { policies } = await twoTierReport(topical, {
      strong: 'strong',
      weak: 'weak',
      seed: 2,
      folds: 4,
      embeddings,
    });
    const neighbours = policies.find((entry) => entry.name === 'neighbours')!;
    const heldOut = policies.find((entry) => entry.name === 'neighbours:held-out-groups')!;
    expect(neighbours.evaluation).toContain('OutcomeMemory');
    expect(neighbours.cpt80).toBeCloseTo(0.4, 1);
    expect(neighbours.apgr!).toBeGreaterThan(0.7);
    // A topic it never saw: its neighbours are all from the other topic, so it cannot tell.
    expect(heldOut.apgr!).toBeLessThan(neighbours.apgr!);
  });

  it('leaves cascades out when the weak answers were not recorded', async () => {
    const withoutResponses = records.map((record) => ({
      ...record,
      models: { ...record.models, weak: { correct: record.models.weak!.correct, cost: 0.001 } },
    }));
    const { policies } = await twoTierReport(withoutResponses, {
      strong: 'strong',
      weak: 'weak',
      seed: 1,
      folds: 3,
    });
    const names = policies.map((entry) => entry.name);
    expect(names.some((name) => name.startsWith('cascade'))).toBe(false);
  });
});
