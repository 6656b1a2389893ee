/**
 * How far can a router that reads only the prompt get on a family, at best? Measures, per family,
 * what a router with FULL hindsight on that family would reach — an upper reference for the online
 * learner, which sees the family once, in order, with feedback on a share of requests:
 *
 * - every single model, and the best quality any mix of two single models reaches at a dollar budget
 *   (random mixing: what a router without per-request signal can do once it knows the averages);
 * - a per-request router trained IN the family with every model's label on every request: per model,
 *   a logistic regression on the prompt's features (lexical + USE-lite embedding, the bench
 *   classifier's), 5-fold cross-validated; each request goes to the model with the best predicted
 *   quality − λ · relative dollars, for a list of λ;
 * - the same router restricted to the best affordable model and the strongest one, sending the
 *   requests with the largest predicted gain to the strongest (top 10/20/25%), against random;
 * - the oracle (the cheapest right model per request).
 *
 * Not a proof for every model class — a better learner may find signal this one misses — but when a
 * full-label, in-family classifier cannot beat the best single model, an online learner with 20% of the
 * labels, on a family it never saw, will not either.
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/routing-ceiling.ts \
 *     --data routing/routerbench --strong gpt-4-1106-preview --json docs/benchmarks/routing-ceiling-routerbench.json
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outOfFold, randomFolds } from '../../packages/cli/src/bench/routing/cross-validation';
import { fillCosts } from '../../packages/cli/src/bench/routing/fill-costs';
import { loadRoutingData } from '../../packages/cli/src/bench/routing/load-routing-data';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import type { ReplayRecord } from '../../packages/cli/src/bench/routing/replay-record';
import {
  PRIOR_TRAINING_OPTIONS,
  trainClassifier,
} from '../../packages/cli/src/bench/routing/train-classifier';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import { forward, priorFeatureVector, promptRouteFeatures } from '../../packages/core/src/index';
import { argument, trainingArguments } from '../script-arguments';

const LAMBDAS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1];
/** L2 penalties tried; each is reported and the ceiling takes the best in hindsight (generous on purpose). */
const PENALTIES = [0.03, 0.3, 3, 30, 300];
const GAIN_SHARES = [0.1, 0.2, 0.25];
const BUDGET = Number(argument('budget', '0.3'));

const { datasets, seed } = trainingArguments();
const strong = argument('strong', 'gpt-4-1106-preview');
const data = loadRoutingData(join(datasets, argument('data', 'routing/routerbench')));
await fillCosts(data, { assumedOutputTokens: 0 });
const byGroup = argument('by-group', 'yes') === 'yes';
const families = new Map<string, ReplayRecord[]>();
for (const record of data.records) {
  const family = byGroup ? (record.group ?? 'all') : 'all';
  families.set(family, [...(families.get(family) ?? []), record]);
}
const embeddings = await embedPrompts(data.records.map((record) => record.prompt));

const reports = [];
for (const [family, all] of families) {
  const report = ceiling(family, all);
  reports.push(report);
  printReport(report);
}
const output = argument('json', '');
if (output)
  writeFileSync(output, `${JSON.stringify({ strong, budget: BUDGET, seed, families: reports }, null, 2)}\n`);

type Point = { qualityShare: number; costShare: number };

function ceiling(family: string, all: readonly ReplayRecord[]) {
  const models = Object.keys(all[0]!.models).sort();
  const records = all.filter((record) =>
    models.every(
      (model) =>
        Number.isFinite(record.models[model]?.correct) && Number.isFinite(record.models[model]?.cost),
    ),
  );
  const quality = (record: ReplayRecord, model: string) => record.models[model]!.correct;
  const cost = (record: ReplayRecord, model: string) => record.models[model]!.cost!;
  const strongQuality = mean(records.map((record) => quality(record, strong)));
  const strongDollars = sum(records.map((record) => cost(record, strong)));
  const share = (choice: readonly string[]): Point => ({
    qualityShare: round(mean(records.map((record, i) => quality(record, choice[i]!))) / strongQuality),
    costShare: round(sum(records.map((record, i) => cost(record, choice[i]!))) / strongDollars),
  });
  const singles = Object.fromEntries(models.map((model) => [model, share(records.map(() => model))]));
  const relativeCost = Object.fromEntries(
    models.map((model) => [model, sum(records.map((record) => cost(record, model))) / strongDollars]),
  );

  const rows = records.map((record) =>
    priorFeatureVector(promptRouteFeatures(record.prompt, embeddings.get(record.prompt)), true),
  );
  const indices = records.map((_, index) => index);
  const classifiers = PENALTIES.map((l2) => {
    const predicted = predictions(records, rows, models, l2);
    const points = LAMBDAS.map((lambda) => ({
      lambda,
      ...share(
        indices.map((i) =>
          bestModel(models, (model) => predicted[model]![i]! - lambda * relativeCost[model]!),
        ),
      ),
    }));
    return { l2, predicted, points, mixAtBudget: bestMixAtBudget([...Object.values(singles), ...points]) };
  });
  const best = classifiers.reduce((a, b) => (b.mixAtBudget > a.mixAtBudget ? b : a));
  const predicted = best.predicted;

  const affordable = models.filter((model) => model !== strong && singles[model]!.costShare <= BUDGET);
  const bestCheap = affordable.sort((a, b) => singles[b]!.qualityShare - singles[a]!.qualityShare)[0]!;
  const gain = indices
    .map((i) => ({ i, gain: predicted[strong]![i]! - predicted[bestCheap]![i]! }))
    .sort((a, b) => b.gain - a.gain);
  const pair = GAIN_SHARES.map((strongShare) => {
    const escalated = new Set(gain.slice(0, Math.round(strongShare * records.length)).map((item) => item.i));
    return {
      strongShare,
      ...share(indices.map((i) => (escalated.has(i) ? strong : bestCheap))),
      randomQualityShare: round(mix(singles[bestCheap]!, singles[strong]!, strongShare).qualityShare),
    };
  });
  const oracle = share(
    records.map((record) => {
      const right = models.filter((model) => quality(record, model) >= 0.5);
      const pool = right.length > 0 ? right : models;
      return pool.reduce((best, model) => (cost(record, model) < cost(record, best) ? model : best));
    }),
  );
  return {
    family,
    requests: records.length,
    strongQuality: round(strongQuality),
    singles,
    bestSingleMixAtBudget: bestMixAtBudget(Object.values(singles)),
    classifiers: classifiers.map(({ l2, points, mixAtBudget }) => ({ l2, points, mixAtBudget })),
    bestClassifierL2: best.l2,
    bestCheap,
    pair,
    oracle,
  };
}

/** Each model's out-of-fold P(right) per request: one logistic regression per model, 5 folds. */
function predictions(
  records: readonly ReplayRecord[],
  rows: readonly Float64Array[],
  models: readonly string[],
  l2: number,
): Record<string, Float64Array> {
  const folds = randomFolds(records.length, 5, seededUniform(seed));
  const indices = records.map((_, index) => index);
  return Object.fromEntries(
    models.map((model) => [
      model,
      outOfFold(indices, folds, (training) => {
        const layers = trainClassifier(
          training.map((index) => rows[index]!),
          training.map((index) => (records[index]!.models[model]!.correct >= 0.5 ? 1 : 0)),
          { ...PRIOR_TRAINING_OPTIONS, l2 },
        );
        return (index) => forward({ layers }, rows[index]!);
      }),
    ]),
  );
}

function bestModel(models: readonly string[], value: (model: string) => number): string {
  return models.reduce((best, model) => (value(model) > value(best) ? model : best));
}

/** Random mixing of two points: a share `t` of requests served as `b`, the rest as `a`. */
function mix(a: Point, b: Point, t: number): Point {
  return {
    qualityShare: a.qualityShare + t * (b.qualityShare - a.qualityShare),
    costShare: a.costShare + t * (b.costShare - a.costShare),
  };
}

/** The best quality share any random mix of two of the points reaches within the dollar budget. */
function bestMixAtBudget(points: readonly Point[]): number {
  let best = 0;
  for (const a of points) {
    if (a.costShare <= BUDGET) best = Math.max(best, a.qualityShare);
    for (const b of points) {
      if (a.costShare >= BUDGET || b.costShare <= BUDGET) continue;
      const t = (BUDGET - a.costShare) / (b.costShare - a.costShare);
      best = Math.max(best, mix(a, b, t).qualityShare);
    }
  }
  return round(best);
}

function printReport(report: ReturnType<typeof ceiling>): void {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `${report.family}: ${report.requests} requests, ${strong} quality ${report.strongQuality}`,
    ...Object.entries(report.singles).map(
      ([model, point]) =>
        `  ${model.padEnd(40)} ${pct(point.qualityShare)} of its quality at ${pct(point.costShare)} of its dollars`,
    ),
    `  best mix of two single models at ≤ ${pct(BUDGET)} of the dollars: ${pct(report.bestSingleMixAtBudget)}`,
    ...report.classifiers.flatMap((classifier) => [
      `  in-family classifier, L2 ${classifier.l2}: ${classifier.points
        .map((point) => `λ ${point.lambda} ${pct(point.qualityShare)} at ${pct(point.costShare)}`)
        .join('; ')}`,
      `    best mix with its points at ≤ ${pct(BUDGET)}: ${pct(classifier.mixAtBudget)}`,
    ]),
    ...report.pair.map(
      (point) =>
        `  ${report.bestCheap} + ${strong} on the ${pct(point.strongShare)} with the largest predicted gain: ${pct(point.qualityShare)} at ${pct(point.costShare)} (random ${pct(point.randomQualityShare)})`,
    ),
    `  oracle: ${pct(report.oracle.qualityShare)} at ${pct(report.oracle.costShare)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mean(values: readonly number[]): number {
  return values.length > 0 ? sum(values) / values.length : 0;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
