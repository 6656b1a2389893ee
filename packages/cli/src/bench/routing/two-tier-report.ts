import {
  ANSWER_FEATURE_COUNT,
  answerFeatures,
  forward,
  heuristicAnswerScore,
  heuristicScorers,
  OutcomeMemory,
  priorFeatureVector,
  promptRouteFeatures,
  type RouteFeatures,
  scoreAnswer,
  type TierAnswer,
} from '@tokenomics/core';
import { DatasetError } from '../../datasets/dataset-error';
import { seededUniform } from '../seeded-uniform';
import { type Evaluation, groupFolds, outOfFold, randomFolds } from './cross-validation';
import type { ReplayRecord } from './replay-record';
import {
  averageGapRecovered,
  type CurvePoint,
  callPerformanceThreshold,
  costShareAtQuality,
  type RoutingItem,
  routingCurve,
  sampleCurve,
} from './routing-metrics';
import {
  type ClassifierTrainingOptions,
  DEFAULT_CLASSIFIER_OPTIONS,
  PRIOR_TRAINING_OPTIONS,
  trainClassifier,
} from './train-classifier';

/** Neighbours an OutcomeMemory estimate reads (the engine's default). */
const NEIGHBOURS = 80;

export type PolicyResult = {
  name: string;
  /** How the policy's learned scores were produced (absent for policies that learn nothing). */
  evaluation?: string;
  apgr: number | null;
  cpt50: number | null;
  cpt80: number | null;
  /** Dollars at the first point reaching always-strong's quality, as a share of always-strong's dollars. */
  costShareAtStrongQuality: number | null;
  /** Strong-call share and dollar share at 80% of the quality gap recovered (cascades: both calls charged). */
  at80?: { strongShare: number; costShare: number } | null;
  curve: CurvePoint[];
};

export type TwoTierReport = {
  n: number;
  strong: string;
  weak: string;
  weakQuality: number;
  strongQuality: number;
  weakCost: number;
  strongCost: number;
  policies: PolicyResult[];
  notes: string[];
};

export type TwoTierOptions = {
  strong: string;
  weak: string;
  seed: number;
  folds: number;
  /** Prompt embeddings for the classifier; without them it uses lexical features only. */
  embeddings?: Map<string, Float32Array>;
  classifier?: ClassifierTrainingOptions;
  /** What the prior learns: the weak answer is right, or the weak answer is not worse than the strong one. */
  label?: 'weak-correct' | 'weak-not-worse';
  /**
   * A prior trained elsewhere (the shipped one), scored as-is as 'classifier:shipped'. Only
   * meaningful on data it was not trained on.
   */
  shippedPrior?: { predict(features: RouteFeatures): Promise<number>; description: string };
  /** Points kept in each JSON curve (the metrics use the full curve). */
  curveSteps?: number;
};

/**
 * Every two-tier policy on the same requests: fixed tiers and the oracle as bounds, the random and
 * length baselines, the classifier prior (cross-validated: random folds and, when the data has
 * groups, whole groups held out), cascades with each answer scorer the data allows, and the combined
 * policy (prior, then cascade).
 */
export async function twoTierReport(
  records: readonly ReplayRecord[],
  options: TwoTierOptions,
): Promise<TwoTierReport> {
  const usable = records.filter((record) => record.models[options.strong] && record.models[options.weak]);
  if (usable.length === 0) {
    const models = Object.keys(records[0]?.models ?? {}).join(', ');
    throw new DatasetError(
      `no request has both "${options.strong}" and "${options.weak}" (models: ${models})`,
    );
  }
  const notes: string[] = [];
  if (usable.length < records.length)
    notes.push(`${records.length - usable.length} requests lack one of the two models`);
  const pair = usable.map((record) => ({
    record,
    weak: { correct: record.models[options.weak]!.correct, cost: record.models[options.weak]!.cost ?? 0 },
    strong: {
      correct: record.models[options.strong]!.correct,
      cost: record.models[options.strong]!.cost ?? 0,
    },
  }));
  const n = pair.length;
  const weakQuality = pair.reduce((sum, item) => sum + item.weak.correct, 0) / n;
  const strongQuality = pair.reduce((sum, item) => sum + item.strong.correct, 0) / n;
  const weakCost = pair.reduce((sum, item) => sum + item.weak.cost, 0);
  const strongCost = pair.reduce((sum, item) => sum + item.strong.cost, 0);
  const steps = options.curveSteps ?? 20;
  if (strongQuality <= weakQuality) {
    notes.push(
      `${options.strong} is not better than ${options.weak} here: gap-based metrics (APGR, CPT) are not meaningful`,
    );
  }

  const summarize = (
    name: string,
    accept: ArrayLike<number>,
    skip: ArrayLike<number> | number,
    evaluation?: string,
  ): PolicyResult => {
    const items: RoutingItem[] = pair.map((item, index) => ({
      accept: accept[index]!,
      skip: typeof skip === 'number' ? skip : skip[index]!,
      weak: item.weak,
      strong: item.strong,
    }));
    const curve = routingCurve(items);
    const target80 = weakQuality + 0.8 * (strongQuality - weakQuality);
    const cpt80 = callPerformanceThreshold(curve, weakQuality, strongQuality, 0.8);
    const costShare80 = costShareAtQuality(curve, target80, strongCost);
    return {
      name,
      ...(evaluation ? { evaluation } : {}),
      apgr: averageGapRecovered(curve, weakQuality, strongQuality),
      cpt50: callPerformanceThreshold(curve, weakQuality, strongQuality, 0.5),
      cpt80,
      costShareAtStrongQuality: costShareAtQuality(curve, strongQuality, strongCost),
      at80: cpt80 === null || costShare80 === null ? null : { strongShare: cpt80, costShare: costShare80 },
      curve: sampleCurve(curve, steps),
    };
  };
  const fixed = (name: string, strongShare: number): PolicyResult => ({
    name,
    apgr: null,
    cpt50: null,
    cpt80: null,
    costShareAtStrongQuality:
      strongShare === 1 ? 1 : weakQuality >= strongQuality ? weakCost / strongCost : null,
    curve: [
      {
        strongShare,
        quality: strongShare === 1 ? strongQuality : weakQuality,
        cost: strongShare === 1 ? strongCost : weakCost,
      },
    ],
  });

  const policies: PolicyResult[] = [fixed('always-weak', 0), fixed('always-strong', 1)];
  const ROUTED = Number.NEGATIVE_INFINITY;
  const CASCADE = Number.POSITIVE_INFINITY;
  // Equal scores move together: the straight line a random router follows on average (APGR 0.5).
  policies.push(summarize('random', new Float64Array(n), ROUTED, 'expected value of a random router'));
  policies.push(
    summarize(
      'length',
      pair.map((item) => -(item.record.models[options.weak]!.inputTokens ?? item.record.prompt.length)),
      ROUTED,
    ),
  );

  // Classifier prior, cross-validated.
  const random = seededUniform(options.seed);
  const withEmbedding =
    options.embeddings !== undefined && pair.every((item) => options.embeddings!.has(item.record.prompt));
  if (options.embeddings && !withEmbedding)
    notes.push('some prompts have no embedding: classifier uses lexical features only');
  const priorRows = pair.map((item) =>
    priorFeatureVector(
      promptRouteFeatures(
        item.record.prompt,
        withEmbedding ? options.embeddings!.get(item.record.prompt) : undefined,
      ),
      withEmbedding,
    ),
  );
  const label = options.label ?? 'weak-correct';
  const priorLabels = pair.map((item) =>
    label === 'weak-correct'
      ? item.weak.correct >= 0.5
        ? 1
        : 0
      : item.weak.correct >= item.strong.correct
        ? 1
        : 0,
  );
  const indices = pair.map((_, index) => index);
  const trainPrior = (training: number[]) => {
    const layers = trainClassifier(
      training.map((index) => priorRows[index]!),
      training.map((index) => priorLabels[index]!),
      options.classifier ?? { ...PRIOR_TRAINING_OPTIONS, seed: options.seed },
    );
    return (index: number) => forward({ layers }, priorRows[index]!);
  };
  const kFold: Evaluation = {
    kind: 'k-fold',
    folds: options.folds,
    description: `${options.folds}-fold cross-validation (random folds), features: lexical${withEmbedding ? ' + USE-lite embedding' : ''}, label: ${label}`,
  };
  const kFolds = randomFolds(n, options.folds, random);
  const priorScores = outOfFold(indices, kFolds, trainPrior);
  policies.push(summarize('classifier', priorScores, ROUTED, kFold.description));
  const byGroup = groupFolds(
    pair.map((item) => item.record.group),
    options.folds,
    random,
  );
  if (byGroup) {
    const groupCount = new Set(pair.map((item) => item.record.group)).size;
    const heldOut = outOfFold(indices, byGroup, trainPrior);
    policies.push(
      summarize(
        'classifier:held-out-groups',
        heldOut,
        ROUTED,
        `${Math.min(options.folds, groupCount)} folds of whole groups (${groupCount} groups: subjects/datasets held out)`,
      ),
    );
  } else notes.push('one group only: no held-out-group evaluation of the classifier');
  if (withEmbedding) {
    // The engine's OutcomeMemory, filled with the training folds' recorded outcomes of both models.
    const rememberTraining = async (folds: readonly number[]) => {
      const scores = new Float64Array(n);
      for (const fold of new Set(folds)) {
        const memory = new OutcomeMemory({ neighbours: NEIGHBOURS });
        for (const index of indices) {
          if (folds[index] === fold) continue;
          const embedding = options.embeddings!.get(pair[index]!.record.prompt)!;
          await memory.record(embedding, 'weak', pair[index]!.weak.correct);
          await memory.record(embedding, 'strong', pair[index]!.strong.correct);
        }
        const prior = memory.prior('weak', 'strong');
        for (const index of indices) {
          if (folds[index] !== fold) continue;
          const prompt = pair[index]!.record.prompt;
          scores[index] = await prior(promptRouteFeatures(prompt, options.embeddings!.get(prompt)));
        }
      }
      return scores;
    };
    const description = `OutcomeMemory (${NEIGHBOURS} nearest USE-lite neighbours) holding the training folds' outcomes`;
    policies.push(
      summarize(
        'neighbours',
        await rememberTraining(kFolds),
        ROUTED,
        `${options.folds}-fold, ${description}`,
      ),
    );
    if (byGroup) {
      policies.push(
        summarize(
          'neighbours:held-out-groups',
          await rememberTraining(byGroup),
          ROUTED,
          `whole groups held out, ${description}`,
        ),
      );
    }
  }
  if (options.shippedPrior) {
    const shippedScores: number[] = [];
    for (const item of pair) {
      const embedding = options.embeddings?.get(item.record.prompt);
      shippedScores.push(
        await options.shippedPrior.predict(promptRouteFeatures(item.record.prompt, embedding)),
      );
    }
    policies.push(summarize('classifier:shipped', shippedScores, ROUTED, options.shippedPrior.description));
  }

  // Cascades: need the weak model's recorded answers.
  const hasResponses = pair.every((item) => typeof item.record.models[options.weak]!.response === 'string');
  if (hasResponses) {
    const responses = pair.map((item) => item.record.models[options.weak]!.response!);
    policies.push(
      summarize(
        'cascade:heuristics',
        pair.map((item, index) => heuristicAnswerScore(item.record.prompt, responses[index]!)),
        CASCADE,
        'hand-set rules on the weak answer (final answer, arithmetic, hedging, refusal, truncation); nothing learned',
      ),
    );
    // The router engine's own generic checks (empty, refusal, hedging, truncation), combined by minimum.
    const scorers = heuristicScorers();
    const engineScores: number[] = [];
    for (const [index, item] of pair.entries()) {
      const combined = await scoreAnswer(scorers, {
        request: {
          model: options.weak,
          messages: [{ role: 'user', content: [{ type: 'text', text: item.record.prompt }] }],
        },
        answer: {
          content: [{ type: 'text', text: responses[index]! }],
          finishReason: 'stop',
          usage: { inputTokens: 0, outputTokens: 0 },
        } as TierAnswer,
        tier: { id: options.weak, model: options.weak },
        random: () => 0.5,
      });
      engineScores.push(combined.score ?? 1);
    }
    policies.push(
      summarize(
        'cascade:engine-heuristics',
        engineScores,
        CASCADE,
        "the router engine's generic checks (empty, refusal, hedging, truncation); nothing learned",
      ),
    );
    const answerRows = pair.map((item, index) => answerFeatures(item.record.prompt, responses[index]!));
    const answerLabels = pair.map((item) => (item.weak.correct >= 0.5 ? 1 : 0));
    const trainAnswer = (training: number[]) => {
      const layers = trainClassifier(
        training.map((index) => answerRows[index]!),
        training.map((index) => answerLabels[index]!),
        { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 60, seed: options.seed },
      );
      return (index: number) => forward({ layers }, answerRows[index]!);
    };
    const answerScores = outOfFold(indices, randomFolds(n, options.folds, random), trainAnswer);
    policies.push(
      summarize(
        'cascade:learned',
        answerScores,
        CASCADE,
        `answer scorer (${ANSWER_FEATURE_COUNT} answer features), ${options.folds}-fold cross-validation`,
      ),
    );
    // Stacked: a logistic regression on the two out-of-fold scores (in log-odds), itself cross-validated.
    const logit = (value: number) => Math.log(Math.max(1e-6, value) / Math.max(1e-6, 1 - value));
    const stackRows = pair.map((_, index) =>
      Float64Array.of(logit(priorScores[index]!), logit(answerScores[index]!)),
    );
    const combined = outOfFold(indices, randomFolds(n, options.folds, random), (training) => {
      const layers = trainClassifier(
        training.map((index) => stackRows[index]!),
        training.map((index) => answerLabels[index]!),
        { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 30, seed: options.seed },
      );
      return (index: number) => forward({ layers }, stackRows[index]!);
    });
    // As it can run: a request whose prior is below the threshold goes straight to the strong model
    // (its weak answer is never read), so it is escalated whatever the stacked score would have said.
    const feasible = combined.map((score, index) => Math.min(score, priorScores[index]!));
    policies.push(
      summarize(
        'combined',
        feasible,
        priorScores,
        'prior and learned answer score stacked by a cross-validated logistic regression; below the threshold on the prior alone the weak call is skipped and the request goes to the strong model, else the stacked score decides',
      ),
    );
  } else notes.push(`no recorded answers of ${options.weak}: cascade and combined policies need them`);

  policies.push(
    summarize(
      'oracle',
      pair.map((item) => item.weak.correct - item.strong.correct),
      ROUTED,
      'knows both outcomes: escalates exactly the requests the strong model fixes',
    ),
  );
  return {
    n,
    strong: options.strong,
    weak: options.weak,
    weakQuality,
    strongQuality,
    weakCost,
    strongCost,
    policies,
    notes,
  };
}
