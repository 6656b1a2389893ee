import {
  type PolicyContext,
  promptRouteFeatures,
  type RoutePolicy,
  type RoutePrior,
  type Tier,
} from '@tokenomics/core';
import { DatasetError } from '../../datasets/dataset-error';
import { seededUniform } from '../seeded-uniform';
import type { ReplayRecord } from './replay-record';

export type OnlineReport = {
  /** Models the bandit chose among, cheapest first. */
  models: string[];
  policy: string;
  n: number;
  /** The bandit's mean correctness and total dollars over the run. */
  quality: number;
  cost: number;
  /** The strong reference (the most expensive model, or --strong). */
  strong: string;
  strongQuality: number;
  strongCost: number;
  costShareOfStrong: number;
  /** The single model with the best reward (quality − λ · relative cost) in hindsight. */
  bestFixed: { model: string; quality: number; cost: number };
  /** λ of the reward. */
  costWeight: number;
  /** Σ (best fixed model's reward − the bandit's reward) over the run. */
  regret: number;
  /** Requests until the chosen model's share settles (≥ 80% one model in every later window of 100), or null. */
  settledAfter: number | null;
  settledOn: string | null;
  /** Share of requests sent to each model. */
  choices: Record<string, number>;
  /** Cumulative quality and dollars every 10% of the run. */
  checkpoints: Array<{ requests: number; quality: number; cost: number; strongCost: number }>;
  /** Share of requests whose outcome the bandit was to be told (the rest it routed without learning). */
  feedbackRate: number;
  /** Share of requests it was told the outcome of, as it happened. */
  gradedShare: number;
  /** Share of requests with a shadow call beside the served one (exploring in the shadow). */
  shadowShare: number;
  /**
   * The later half of the run (the requests after the first n/2), once the learner has had half the
   * run to learn: its quality as a share of the strong model's on the same requests, and its dollars
   * as a share of the strong model's there. The whole run's fields include what learning cost.
   */
  laterHalf: { requests: number; qualityShareOfStrong: number; costShareOfStrong: number };
  /** One point per λ and feedback rate asked for (with `--lambda` / `--feedback-rate` lists). */
  frontier?: FrontierPoint[];
};

export type FrontierPoint = {
  lambda: number;
  feedbackRate: number;
  /** Mean over the seeds replayed (one seed unless `seeds` lists more). */
  quality: number;
  costShareOfStrong: number;
  /** quality / strongQuality, the mean over seeds. */
  qualityShareOfStrong: number;
  /** The seeds replayed and the sample standard deviations over them (0 for one seed). */
  seeds: number[];
  qualityShareSd: number;
  costShareSd: number;
  /** Share of requests graded, the mean over seeds (about `feedbackRate`). */
  gradedShare: number;
  /** The later half of each run (see `OnlineReport.laterHalf`), the mean over seeds. */
  laterHalfQualityShare: number;
  laterHalfCostShare: number;
};

export type OnlineOptions = {
  models: string[];
  strong?: string;
  seed: number;
  /** Makes the bandit; called once per run. */
  createPolicy: (options: { costWeight: number; prior?: RoutePrior }) => RoutePolicy;
  costWeight?: number;
  prior?: RoutePrior;
  embeddings?: Map<string, Float32Array>;
  /**
   * Share of requests whose outcome reaches the bandit (user feedback, a sampled judge or check);
   * default 1. The others are routed and charged but teach nothing.
   */
  feedbackRate?: number;
  /**
   * Which requests the feedback goes to. `random` (default): each request is graded with
   * probability `feedbackRate` (user ratings). `exploring-first`: a grader with a budget of
   * `feedbackRate` of the requests so far (a sampled judge, a review queue) grades every request the
   * policy sent somewhere to explore (its reason starts with `exploring`) while the budget lasts,
   * and spends what is left on the others at random (each with probability the budget left).
   */
  feedbackChoice?: FeedbackChoice;
};

export const FEEDBACK_CHOICES = ['random', 'exploring-first'] as const;
export type FeedbackChoice = (typeof FEEDBACK_CHOICES)[number];

export function isFeedbackChoice(value: string): value is FeedbackChoice {
  return (FEEDBACK_CHOICES as readonly string[]).includes(value);
}

const WINDOW = 100;

/**
 * Replays the requests in a seeded random order through a learning policy: it picks a model, sees
 * only that model's recorded outcome (correct or not, and its dollars), and learns. Nothing about
 * the models it did not pick is revealed, as in production.
 */
export async function runOnlineBench(
  records: readonly ReplayRecord[],
  options: OnlineOptions,
): Promise<OnlineReport> {
  const usable = records.filter((record) => options.models.every((model) => record.models[model]));
  if (usable.length === 0) throw new DatasetError(`no request has all of ${options.models.join(', ')}`);
  const meanCost = (model: string) =>
    usable.reduce((sum, record) => sum + (record.models[model]!.cost ?? 0), 0) / usable.length;
  const models = [...options.models].sort((a, b) => meanCost(a) - meanCost(b));
  const strong = options.strong ?? models.at(-1)!;
  const tiers: Tier[] = models.map((model) => ({ id: model, model }));
  const costWeight = options.costWeight ?? 0.3;
  const policy = options.createPolicy({ costWeight, ...(options.prior ? { prior: options.prior } : {}) });
  const random = seededUniform(options.seed);
  const order = usable.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const decisionRandom = seededUniform(options.seed + 1);
  const feedbackRate = Math.min(1, Math.max(0, options.feedbackRate ?? 1));
  const grader = feedbackGrader(
    options.feedbackChoice ?? 'random',
    feedbackRate,
    seededUniform(options.seed + 2),
  );
  let graded = 0;
  let shadowCalls = 0;
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - decisionRandom()));
    const angle = 2 * Math.PI * decisionRandom();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  const counts = new Map(models.map((model) => [model, 0]));
  const fixedReward = new Map(models.map((model) => [model, 0]));
  const chosen: string[] = [];
  let correct = 0;
  let cost = 0;
  let strongCorrect = 0;
  let strongCost = 0;
  let reward = 0;
  const checkpoints: OnlineReport['checkpoints'] = [];
  // The later half is the whole run less what had been counted when it began.
  const half = Math.floor(order.length / 2);
  let atHalf: Totals = { correct: 0, cost: 0, strongCorrect: 0, strongCost: 0 };
  const every = Math.max(1, Math.floor(order.length / 10));
  for (let step = 0; step < order.length; step++) {
    if (step === half) atHalf = { correct, cost, strongCorrect, strongCost };
    const record = usable[order[step]!]!;
    const dollars = Float64Array.from(models, (model) => record.models[model]!.cost ?? 0);
    // The router knows prices and the prompt, not the outcome: relative costs are estimated from each
    // model's mean dollars on this data (a per-request price estimate would need output lengths).
    const estimated = Float64Array.from(models, (model) => meanCost(model));
    const maximum = Math.max(...estimated, Number.MIN_VALUE);
    const relativeCosts = Float64Array.from(estimated, (value) => value / maximum);
    const features = promptRouteFeatures(record.prompt, options.embeddings?.get(record.prompt));
    const context: PolicyContext = {
      request: {
        model: 'replay',
        messages: [{ role: 'user', content: [{ type: 'text', text: record.prompt }] }],
      },
      features,
      tiers,
      relativeCosts,
      estimatedDollars: estimated,
      random: decisionRandom,
      normal,
      evaluatePrior: async (prior) => prior(features),
    };
    const choice = await policy.decide(context);
    const model = models[choice.tierIndex]!;
    const outcome = record.models[model]!;
    // A shadow tier (exploring in the shadow) is called and charged beside the served one, and its
    // answer is the one graded.
    const shadow = choice.shadowTierIndex;
    const learned = shadow ?? choice.tierIndex;
    const learnedOutcome = record.models[models[learned]!]!;
    const calledSum = (values: Float64Array) =>
      values[choice.tierIndex]! + (shadow === undefined ? 0 : values[shadow]!);
    if (shadow !== undefined) shadowCalls++;
    chosen.push(model);
    counts.set(model, counts.get(model)! + 1);
    correct += outcome.correct;
    cost += calledSum(dollars);
    reward += outcome.correct - costWeight * calledSum(relativeCosts);
    models.forEach((name, index) => {
      fixedReward.set(
        name,
        fixedReward.get(name)! + record.models[name]!.correct - costWeight * relativeCosts[index]!,
      );
    });
    strongCorrect += record.models[strong]!.correct;
    strongCost += record.models[strong]!.cost ?? 0;
    if (grader.grades(choice.reason, step, shadow !== undefined)) {
      graded++;
      await policy.update?.({
        choice,
        tierIndex: learned,
        quality: learnedOutcome.correct,
        dollars: dollars[learned]!,
        relativeCost: relativeCosts[learned]!,
        tiers,
        source: 'run',
      });
    }
    if ((step + 1) % every === 0 || step === order.length - 1) {
      checkpoints.push({ requests: step + 1, quality: correct / (step + 1), cost, strongCost });
    }
  }
  const n = order.length;
  const best = [...fixedReward.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const bestModel = best[0];
  const settled = settling(chosen);
  return {
    models,
    policy: options.prior ? `${policy.name}+prior` : policy.name,
    n,
    quality: correct / n,
    cost,
    strong,
    strongQuality: strongCorrect / n,
    strongCost,
    costShareOfStrong: strongCost > 0 ? cost / strongCost : 0,
    bestFixed: {
      model: bestModel,
      quality: usable.reduce((sum, record) => sum + record.models[bestModel]!.correct, 0) / n,
      cost: usable.reduce((sum, record) => sum + (record.models[bestModel]!.cost ?? 0), 0),
    },
    costWeight,
    regret: best[1] - reward,
    settledAfter: settled?.after ?? null,
    settledOn: settled?.model ?? null,
    choices: Object.fromEntries(models.map((model) => [model, counts.get(model)! / n])),
    checkpoints,
    feedbackRate,
    gradedShare: graded / n,
    shadowShare: shadowCalls / n,
    laterHalf: laterHalf(n - half, { correct, cost, strongCorrect, strongCost }, atHalf),
  };
}

type Totals = { correct: number; cost: number; strongCorrect: number; strongCost: number };

/** The requests after the half: the run's totals less those counted before it. */
function laterHalf(requests: number, end: Totals, start: Totals): OnlineReport['laterHalf'] {
  const strongCorrect = end.strongCorrect - start.strongCorrect;
  const strongCost = end.strongCost - start.strongCost;
  return {
    requests,
    qualityShareOfStrong: strongCorrect > 0 ? (end.correct - start.correct) / strongCorrect : 0,
    costShareOfStrong: strongCost > 0 ? (end.cost - start.cost) / strongCost : 0,
  };
}

/**
 * Decides which requests are graded; `grades` is asked once per request, in order. A request with a
 * shadow call (the policy explores in the shadow) is always graded: the router sends a shadow answer
 * to its grader, having paid for it only to learn.
 */
function feedbackGrader(
  choice: FeedbackChoice,
  rate: number,
  random: () => number,
): { grades: (reason: string | undefined, step: number, shadow: boolean) => boolean } {
  if (choice === 'random') return { grades: (_reason, _step, shadow) => random() < rate || shadow };
  let spent = 0;
  return {
    grades(reason, step, shadow) {
      const budget = rate * (step + 1) - spent;
      const exploring = reason?.startsWith('exploring') ?? false;
      if (shadow) {
        // A shadow answer was paid for only to be graded: it always is, and counts against the budget.
        random();
        spent++;
        return true;
      }
      // Exploring requests first, while the budget lasts; the rest of it at random: another request
      // is graded with probability the budget left (at most 1), so the grades spent keep up with
      // the budget whatever share of it the exploring requests took. A draw is made for every
      // request, and the chance depends only on the requests before it, never on this one's text.
      const draw = random();
      const grade = exploring ? budget > 0 : draw < Math.min(1, budget);
      if (grade) spent++;
      return grade;
    },
  };
}

/**
 * Runs the online replay once per λ, feedback rate and seed: the quality-for-dollars frontier, each
 * point the mean over the seeds (the request order, the exploration draws and which requests are
 * graded all change with the seed).
 */
export async function onlineFrontier(
  records: readonly ReplayRecord[],
  options: OnlineOptions,
  lambdas: readonly number[],
  feedbackRates: readonly number[],
  seeds: readonly number[] = [options.seed],
): Promise<FrontierPoint[]> {
  const points: FrontierPoint[] = [];
  for (const lambda of lambdas) {
    for (const feedbackRate of feedbackRates) {
      const runs: OnlineReport[] = [];
      for (const seed of seeds)
        runs.push(await runOnlineBench(records, { ...options, seed, costWeight: lambda, feedbackRate }));
      const qualityShares = runs.map((run) => run.quality / run.strongQuality);
      const costShares = runs.map((run) => run.costShareOfStrong);
      points.push({
        lambda,
        feedbackRate,
        quality: round(mean(runs.map((run) => run.quality))),
        costShareOfStrong: round(mean(costShares)),
        qualityShareOfStrong: round(mean(qualityShares)),
        seeds: [...seeds],
        qualityShareSd: round(standardDeviation(qualityShares)),
        costShareSd: round(standardDeviation(costShares)),
        gradedShare: round(mean(runs.map((run) => run.gradedShare))),
        laterHalfQualityShare: round(mean(runs.map((run) => run.laterHalf.qualityShareOfStrong))),
        laterHalfCostShare: round(mean(runs.map((run) => run.laterHalf.costShareOfStrong))),
      });
    }
  }
  return points;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const average = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The first request after which every window of 100 choices is at least 80% the final favourite. */
function settling(chosen: readonly string[]): { after: number; model: string } | null {
  if (chosen.length < WINDOW) return null;
  const tail = chosen.slice(-WINDOW);
  const favourite = mostCommon(tail);
  let after = 0;
  for (let end = chosen.length; end >= WINDOW; end--) {
    const window = chosen.slice(end - WINDOW, end);
    const share = window.filter((model) => model === favourite).length / WINDOW;
    if (share < 0.8) {
      after = end;
      break;
    }
  }
  return after >= chosen.length ? null : { after, model: favourite };
}

function mostCommon(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}
