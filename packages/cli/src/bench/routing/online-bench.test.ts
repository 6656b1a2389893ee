import { contextualBandit, neighbourBandit } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { onlineFrontier, runOnlineBench } from './online-bench';
import type { ReplayRecord } from './replay-record';

// Simulated outcomes, seeded: the cheap model is right as often as the dear one on short prompts.
function records(cheapAccuracy: number, count = 600): ReplayRecord[] {
  let state = 42;
  const next = () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
  return Array.from({ length: count }, (_, index) => ({
    id: String(index),
    prompt: `Question number ${index}: what is ${index} plus ${index}?`,
    models: {
      cheap: { correct: next() < cheapAccuracy ? 1 : 0, cost: 0.001 },
      dear: { correct: next() < 0.9 ? 1 : 0, cost: 0.1 },
    },
  }));
}

const createPolicy = ({ costWeight }: { costWeight: number }) =>
  contextualBandit({ algorithm: 'thompson', costWeight });

describe('online routing bench', () => {
  it('settles on the cheap model when it is as good, and reports regret against the best fixed model', async () => {
    const report = await runOnlineBench(records(0.9), { models: ['dear', 'cheap'], seed: 3, createPolicy });
    expect(report.models).toEqual(['cheap', 'dear']);
    expect(report.bestFixed.model).toBe('cheap');
    expect(report.choices.cheap).toBeGreaterThan(0.7);
    expect(report.costShareOfStrong).toBeLessThan(0.4);
    expect(report.settledOn).toBe('cheap');
    expect(report.checkpoints.at(-1)!.requests).toBe(600);
  });

  it('keeps paying for the dear model when the cheap one is much worse', async () => {
    const report = await runOnlineBench(records(0.2), { models: ['cheap', 'dear'], seed: 3, createPolicy });
    expect(report.bestFixed.model).toBe('dear');
    expect(report.choices.dear).toBeGreaterThan(0.6);
    expect(report.quality).toBeGreaterThan(0.7);
  });

  it('is deterministic under a seed', async () => {
    const first = await runOnlineBench(records(0.6), { models: ['cheap', 'dear'], seed: 9, createPolicy });
    const second = await runOnlineBench(records(0.6), { models: ['cheap', 'dear'], seed: 9, createPolicy });
    expect(second).toEqual(first);
  });

  it('learns only from the share of requests with feedback, and traces a frontier over λ and that share', async () => {
    // The bandit starts out doubting the cheap model (initial quality 0.3): only feedback moves it there.
    const doubting = ({ costWeight }: { costWeight: number }) =>
      contextualBandit({ algorithm: 'thompson', costWeight, initialQuality: 0.3 });
    const options = { models: ['cheap', 'dear'], seed: 3, createPolicy: doubting };
    const none = await runOnlineBench(records(0.9), { ...options, feedbackRate: 0 });
    const full = await runOnlineBench(records(0.9), { ...options, feedbackRate: 1 });
    expect(none.feedbackRate).toBe(0);
    expect(none.choices.cheap).toBeLessThan(0.2);
    expect(full.choices.cheap).toBeGreaterThan(0.7);
    const frontier = await onlineFrontier(records(0.9), options, [0.1, 1], [1, 0.2]);
    expect(frontier.map((point) => [point.lambda, point.feedbackRate])).toEqual([
      [0.1, 1],
      [0.1, 0.2],
      [1, 1],
      [1, 0.2],
    ]);
    // A higher λ never buys more of the dear model here.
    expect(frontier[2]!.costShareOfStrong).toBeLessThanOrEqual(frontier[0]!.costShareOfStrong);
  });

  it('averages each frontier point over the seeds asked for, with the spread between them', async () => {
    const options = { models: ['cheap', 'dear'], seed: 3, createPolicy };
    const [point] = await onlineFrontier(records(0.6, 300), options, [0.3], [0.2], [3, 4, 5]);
    const runs = await Promise.all(
      [3, 4, 5].map((seed) =>
        runOnlineBench(records(0.6, 300), { ...options, seed, costWeight: 0.3, feedbackRate: 0.2 }),
      ),
    );
    const shares = runs.map((run) => run.quality / run.strongQuality);
    expect(point!.seeds).toEqual([3, 4, 5]);
    expect(point!.qualityShareOfStrong).toBeCloseTo((shares[0]! + shares[1]! + shares[2]!) / 3, 3);
    expect(point!.qualityShareSd).toBeGreaterThan(0);
  });

  it('with exploring-first feedback, a judge grades every exploring request within the same budget', async () => {
    // A scripted policy: every 10th request explores the cheap model; it notes which requests it learns.
    const learned: number[] = [];
    const scripted = () => {
      let step = 0;
      return {
        name: 'scripted',
        async decide() {
          const index = step++;
          const exploring = index % 10 === 0;
          return {
            tierIndex: exploring ? 0 : 1,
            reason: exploring ? 'exploring-without-evidence' : 'highest-thompson-sample',
            memo: index,
          };
        },
        async update(outcome: { choice: { memo?: unknown } }) {
          learned.push(outcome.choice.memo as number);
        },
      };
    };
    const options = { models: ['cheap', 'dear'], seed: 3, createPolicy: scripted, feedbackRate: 0.2 };
    const exploringFirst = await runOnlineBench(records(0.6), {
      ...options,
      feedbackChoice: 'exploring-first',
    });
    const explored = learned.filter((index) => index % 10 === 0).length;
    expect(explored).toBe(60);
    // The whole budget is spent: 120 grades of 600 requests, give or take one.
    expect(exploringFirst.gradedShare).toBeLessThanOrEqual(0.2 + 1 / 600);
    expect(exploringFirst.gradedShare).toBeGreaterThanOrEqual(0.2 - 1 / 600);

    learned.length = 0;
    const random = await runOnlineBench(records(0.6), options);
    expect(learned.filter((index) => index % 10 === 0).length).toBeLessThan(25);
    expect(random.gradedShare).toBeGreaterThan(0.15);
    expect(random.gradedShare).toBeLessThan(0.25);
  });

  it("with a budget, the neighbour learner spends about that share of the strong model's dollars on 20% feedback", async () => {
    // The cheap model is right 70% of the time, the dear one 90%: at λ 0 quality alone picks the dear one.
    const data = records(0.7, 2000);
    const embeddings = new Map(
      data.map((record, index) => [record.prompt, Float32Array.of(1, (index % 7) / 50, 0, 0)]),
    );
    const options = { models: ['cheap', 'dear'], seed: 5, embeddings, feedbackRate: 0.2, costWeight: 0 };
    const unbounded = await runOnlineBench(data, {
      ...options,
      createPolicy: ({ costWeight }) => neighbourBandit({ costWeight, referenceTier: 'dear' }),
    });
    const budgeted = await runOnlineBench(data, {
      ...options,
      createPolicy: ({ costWeight }) =>
        neighbourBandit({ costWeight, referenceTier: 'dear', budget: { shareOfReference: 0.4 } }),
    });
    expect(unbounded.costShareOfStrong).toBeGreaterThan(0.8);
    expect(budgeted.costShareOfStrong).toBeGreaterThan(0.3);
    expect(budgeted.costShareOfStrong).toBeLessThan(0.5);
    expect(budgeted.quality).toBeGreaterThan(0.75);
  });

  it('with a shadow call, serves the chosen model, charges both, and grades the shadow answer always', async () => {
    // Every 5th request explores the cheap model in the shadow; the policy notes what it is told.
    const told: Array<{ tierIndex: number; quality: number }> = [];
    const shadowing = () => {
      let step = 0;
      return {
        name: 'shadowing',
        async decide() {
          const shadow = step++ % 5 === 0;
          return shadow
            ? { tierIndex: 1, reason: 'exploring-in-shadow', shadowTierIndex: 0 }
            : { tierIndex: 1, reason: 'fixed' };
        },
        async update(outcome: { tierIndex: number; quality: number }) {
          told.push({ tierIndex: outcome.tierIndex, quality: outcome.quality });
        },
      };
    };
    const data = records(0.3);
    const report = await runOnlineBench(data, {
      models: ['cheap', 'dear'],
      seed: 3,
      createPolicy: shadowing,
      feedbackRate: 0.05,
      feedbackChoice: 'exploring-first',
    });
    // The dear model served every request: its quality, plus the cheap model's dollars on a fifth.
    expect(report.quality).toBe(report.strongQuality);
    expect(report.costShareOfStrong).toBeCloseTo(1 + 0.2 * (0.001 / 0.1), 10);
    expect(report.shadowShare).toBe(0.2);
    // Every shadow answer was graded (beyond the 5% budget), and taught as the cheap model's outcome.
    const shadowOutcomes = told.filter((outcome) => outcome.tierIndex === 0);
    expect(shadowOutcomes).toHaveLength(120);
    const cheapRight = shadowOutcomes.filter((outcome) => outcome.quality === 1).length / 120;
    expect(cheapRight).toBeGreaterThan(0.15);
    expect(cheapRight).toBeLessThan(0.45);
    expect(report.gradedShare).toBeGreaterThanOrEqual(0.2);
  });

  it('reports the later half of the run apart, measured against the strong model on the same requests', async () => {
    const always = (tierIndex: number) => () => ({
      name: 'always',
      decide: async () => ({ tierIndex, reason: 'fixed' }),
    });
    const options = { models: ['cheap', 'dear'], seed: 3 };
    const dear = await runOnlineBench(records(0.5), { ...options, createPolicy: always(1) });
    expect(dear.laterHalf).toEqual({ requests: 300, qualityShareOfStrong: 1, costShareOfStrong: 1 });
    const cheap = await runOnlineBench(records(0.5), { ...options, createPolicy: always(0) });
    expect(cheap.laterHalf.costShareOfStrong).toBeCloseTo(0.01, 5);
    expect(cheap.laterHalf.qualityShareOfStrong).toBeGreaterThan(0.4);
    expect(cheap.laterHalf.qualityShareOfStrong).toBeLessThan(0.7);
    // A learner that first pays for the dear model and then moves to the cheap one, equally good here,
    // spends less in the later half than over the whole run.
    const learner = await runOnlineBench(records(0.9), { ...options, createPolicy });
    expect(learner.laterHalf.costShareOfStrong).toBeLessThan(learner.costShareOfStrong);
  });
});
