import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ANSWER_FEATURE_NAMES,
  ANSWER_SCORER_FORMAT,
  type AnswerScorerMeta,
  answerFeatures,
  cosineSimilarity,
  type DenseLayer,
  type Embedder,
  fitCoverage,
  forward,
  LEXICAL_FEATURE_NAMES,
  OUTPUT_LENGTH_FEATURE_NAMES,
  OUTPUT_LENGTH_FORMAT,
  type OutputLengthMeta,
  PAIR_FEATURES,
  PRIOR_EMBEDDING_DIMENSIONS,
  pairFeatures,
  priorFeatureNames,
  promptRouteFeatures,
  ROUTER_PRIOR_FORMAT,
  type RouterPriorMeta,
  readVerifierModel,
  type VerifierModel,
  writeOnnxModel,
} from '@tokenomics/core';
import { outOfFold } from '../bench/routing/cross-validation';
import {
  DEFAULT_CLASSIFIER_OPTIONS,
  trainClassifier,
  trainRegressor,
} from '../bench/routing/train-classifier';
import { seededUniform } from '../bench/seeded-uniform';
import { areaUnderRoc } from '../metrics/area-under-roc';
import { heldOutUnits } from './held-out-units';
import { leaveOneGroupOut, type PriorExample, trainPrior } from './router-prior-trainer';
import type { AnswerExample, CachePairExample, TrafficData } from './traffic-data';
import { trafficModelCard } from './traffic-model-card';
import { trainNetwork } from './train-network';

export type TrafficTrainingOptions = {
  /** Folder the new models go to, one subfolder per model (a deployment points its loaders there). */
  out: string;
  seed: number;
  /** Embeds prompts for the prior and cache pairs without a recorded similarity (USE-lite for the shipped format). */
  embedder: Embedder;
  /** The cheap tier whose graded answers train the prior; default the model most often routed to instead of the baseline. */
  cheapModel?: string;
  /** The large model (output-length flag); default the ledger's most common baseline model. */
  strongModel?: string;
  /** A model is trained only from this many examples of both outcomes up. Default 20. */
  minExamples?: number;
  /** Named in every model card: the command and the files it read. */
  command: string;
  sources: string[];
};

export type TrafficModelReport = {
  name: 'router-prior' | 'answer-scorer' | 'output-length' | 'cache-verifier';
  trained: boolean;
  examples: number;
  /** Why it was not trained, or what to know about it. */
  note?: string;
  heldOut?: { description: string; metrics: Record<string, number | null> };
  folder?: string;
};

/**
 * Retrains the router prior, the answer scorer, the output-length model and the cache verifier
 * from a deployment's graded traffic, with the trainers of the shipped models, and writes each
 * (model.onnx, meta.json, MODEL_CARD.md with a leave-out report) under `options.out`.
 */
export async function trainFromTraffic(
  data: TrafficData,
  options: TrafficTrainingOptions,
): Promise<TrafficModelReport[]> {
  mkdirSync(options.out, { recursive: true });
  const reports = [
    await trainPriorFromTraffic(data.answers, options),
    trainAnswerScorerFromTraffic(data.answers, options),
    trainOutputLengthFromTraffic(data.answers, options),
    await trainVerifierFromTraffic(data.cachePairs, options),
  ];
  writeFileSync(
    join(options.out, 'report.json'),
    `${JSON.stringify({ command: options.command, reports }, null, 2)}\n`,
  );
  return reports;
}

async function trainPriorFromTraffic(
  answers: readonly AnswerExample[],
  options: TrafficTrainingOptions,
): Promise<TrafficModelReport> {
  const cheap =
    options.cheapModel ??
    mostCommon(answers.filter((a) => a.baselineModel && a.model !== a.baselineModel).map((a) => a.model));
  const chosen = answers.filter((answer) => answer.model === cheap);
  const skip = tooFew(
    'router-prior',
    chosen.map((answer) => answer.good),
    options,
  );
  if (skip || !cheap)
    return (
      skip ?? {
        name: 'router-prior',
        trained: false,
        examples: 0,
        note: 'no cheap model: pass --cheap-model',
      }
    );
  if (options.embedder.dimensions !== PRIOR_EMBEDDING_DIMENSIONS) {
    return {
      name: 'router-prior',
      trained: false,
      examples: chosen.length,
      note: `the prior needs a ${PRIOR_EMBEDDING_DIMENSIONS}-d embedder`,
    };
  }
  const vectors = await options.embedder.embed(chosen.map((answer) => answer.prompt));
  const examples: PriorExample[] = chosen.map((answer, index) => ({
    prompt: answer.prompt,
    label: answer.good,
    group: answer.group,
    embedding: vectors[index]!,
  }));
  const held = heldOutUnits(chosen.map((answer) => ({ group: answer.group, text: answer.prompt })));
  const predictions = leaveOneGroupOut(examples, { seed: options.seed }, { units: held.units });
  const labels = predictions.map((prediction) => examples[prediction.index]!.label);
  const metrics = {
    aucNoCoverageCheck: areaUnderRoc(
      predictions.map((p) => p.raw),
      labels,
    ),
    aucWithCoverageCheck: areaUnderRoc(
      predictions.map((p) => p.value),
      labels,
    ),
    coveredShare: round(predictions.filter((p) => p.covered).length / Math.max(1, predictions.length)),
  };
  const prior = trainPrior(examples, { seed: options.seed });
  const meta: Omit<RouterPriorMeta, 'metrics'> = {
    format: ROUTER_PRIOR_FORMAT,
    features: priorFeatureNames(true),
    layers: prior.layers,
    embedder: options.embedder.id,
    target: `P(${cheap} answers well enough), from a deployment's graded answers`,
    lexicalFeatures: [...LEXICAL_FEATURE_NAMES],
    lexicalLayers: prior.lexicalLayers,
    coverage: prior.coverage,
    neutralPrior: prior.neutralPrior,
    lexicalNeutralPrior: prior.lexicalNeutralPrior,
  };
  return writeModel(
    {
      name: 'router-prior',
      meta,
      examples: examples.length,
      heldOut: { description: held.description, metrics },
      target: `P(${cheap} answers well enough) from the prompt`,
    },
    options,
  );
}

function trainAnswerScorerFromTraffic(
  answers: readonly AnswerExample[],
  options: TrafficTrainingOptions,
): TrafficModelReport {
  const chosen = answers.filter((answer) => answer.answer !== undefined);
  const labels = chosen.map((answer) => answer.good);
  const skip = tooFew('answer-scorer', labels, options);
  if (skip) return skip;
  const rows = chosen.map((answer) => answerFeatures(answer.prompt, answer.answer!));
  const settings = { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 60, seed: options.seed };
  const held = heldOutUnits(chosen.map((answer) => ({ group: answer.group, text: answer.prompt })));
  const scores = heldOutScores(rows, labels, held.units, (r, t) => trainClassifier(r, t, settings));
  const metrics = { auc: areaUnderRoc(scores, labels) };
  const meta: Omit<AnswerScorerMeta, 'metrics'> = {
    format: ANSWER_SCORER_FORMAT,
    features: [...ANSWER_FEATURE_NAMES],
    layers: trainClassifier(rows, labels, settings),
    target: "P(the answer is good enough), from a deployment's graded answers",
    threshold: 0.5,
    coverage: fitCoverage(rows, {
      clusters: 16,
      standardizeFeatures: true,
      random: seededUniform(options.seed),
    }),
  };
  return writeModel(
    {
      name: 'answer-scorer',
      meta,
      examples: rows.length,
      heldOut: { description: held.description, metrics },
      target: 'P(an answer is good enough) from its text',
    },
    options,
  );
}

function trainOutputLengthFromTraffic(
  answers: readonly AnswerExample[],
  options: TrafficTrainingOptions,
): TrafficModelReport {
  const chosen = answers.filter((answer) => answer.outputTokens !== undefined);
  const minimum = options.minExamples ?? 20;
  if (chosen.length < minimum) {
    return {
      name: 'output-length',
      trained: false,
      examples: chosen.length,
      note: `fewer than ${minimum} answers with output tokens in the ledger`,
    };
  }
  const strong =
    options.strongModel ??
    mostCommon(chosen.flatMap((answer) => (answer.baselineModel ? [answer.baselineModel] : [])));
  const rows = chosen.map((answer) => {
    const row = new Float64Array(OUTPUT_LENGTH_FEATURE_NAMES.length);
    row.set(promptRouteFeatures(answer.prompt).lexical, 0);
    row[LEXICAL_FEATURE_NAMES.length] = answer.model === strong ? 1 : 0;
    return row;
  });
  const targets = chosen.map((answer) => Math.log1p(answer.outputTokens!));
  const settings = { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 80, l2: 1e-4, seed: options.seed };
  const held = heldOutUnits(chosen.map((answer) => ({ group: answer.group, text: answer.prompt })));
  const predictions = heldOutScores(rows, targets, held.units, (r, t) => trainRegressor(r, t, settings));
  const residuals = targets.map((target, index) => target - predictions[index]!);
  const residualDeviation = Math.sqrt(
    residuals.reduce((sum, value) => sum + value * value, 0) / residuals.length,
  );
  const tokens = targets.map((target) => Math.expm1(target));
  const medianTokens = median(tokens);
  const metrics = {
    maeTokens: round(
      mean(tokens.map((value, index) => Math.abs(Math.expm1(predictions[index]!) - value))),
      1,
    ),
    maeTokensMedianBaseline: round(mean(tokens.map((value) => Math.abs(medianTokens - value))), 1),
  };
  const meta: Omit<OutputLengthMeta, 'metrics'> = {
    format: OUTPUT_LENGTH_FORMAT,
    features: [...OUTPUT_LENGTH_FEATURE_NAMES],
    layers: trainRegressor(rows, targets, settings),
    target: 'log1p-output-tokens',
    residualDeviation: round(residualDeviation),
  };
  return writeModel(
    {
      name: 'output-length',
      meta,
      examples: rows.length,
      heldOut: { description: held.description, metrics },
      metricsFacts: { frontierModel: strong ?? null },
      target: `log(1 + output tokens) of an answer (frontier flag: ${strong ?? 'none'})`,
    },
    options,
  );
}

async function trainVerifierFromTraffic(
  pairs: readonly CachePairExample[],
  options: TrafficTrainingOptions,
): Promise<TrafficModelReport> {
  const labels = pairs.map((pair) => pair.good);
  const skip = tooFew('cache-verifier', labels, options);
  if (skip) return skip;
  const similarities = await pairSimilarities(pairs, options.embedder);
  const rows = pairs.map((pair, index) =>
    Float64Array.from(pairFeatures(pair.cachedQuery, pair.query, similarities[index]!)),
  );
  const settings = { hidden: 0, epochs: 400, learningRate: 0.05, l2: 1e-4, seed: options.seed };
  const held = heldOutUnits(pairs.map((pair) => ({ group: pair.group, text: pair.query })));
  const scores = heldOutScores(rows, labels, held.units, (r, t) =>
    trainNetwork(r as Float64Array[], [...t], settings),
  );
  const threshold = precisionThreshold(scores, labels, 0.97);
  const served = labels.filter((_, index) => scores[index]! >= threshold);
  const metrics = {
    auc: areaUnderRoc(scores, labels),
    threshold: round(threshold),
    precisionAtThreshold: served.length > 0 ? round(mean(served)) : null,
    recallAtThreshold: round(
      served.filter((label) => label === 1).length / Math.max(1, labels.filter((l) => l === 1).length),
    ),
  };
  const shipped = readVerifierModel();
  const meta: Omit<VerifierModel, 'metrics'> = {
    format: 'tokenomics-pair-verifier/1',
    features: [...PAIR_FEATURES],
    layers: trainNetwork(rows, labels, settings),
    threshold: metrics.threshold,
    embedder: options.embedder.id,
    recommended: {
      similarityThreshold: shipped.recommended.similarityThreshold,
      verifierThreshold: metrics.threshold,
    },
  };
  return writeModel(
    {
      name: 'cache-verifier',
      meta,
      examples: rows.length,
      heldOut: { description: held.description, metrics },
      target: 'P(a semantic cache hit serves a right answer) from the two questions',
    },
    options,
  );
}

/** Out-of-fold scores with the held-out units as folds. */
function heldOutScores(
  rows: readonly Float64Array[],
  targets: readonly number[],
  units: readonly string[],
  train: (rows: Float64Array[], targets: number[]) => DenseLayer[],
): Float64Array {
  const names = [...new Set(units)];
  const folds = units.map((unit) => names.indexOf(unit));
  const indices = rows.map((_, index) => index);
  return outOfFold(indices, folds, (training) => {
    const layers = train(
      training.map((index) => rows[index]!),
      training.map((index) => targets[index]!),
    );
    return (index) => forward({ layers }, rows[index]!);
  });
}

/** The lowest score threshold whose served pairs are at least `precision` right; 1 (serve nothing) when none is. */
function precisionThreshold(scores: ArrayLike<number>, labels: readonly number[], precision: number): number {
  const order = labels.map((_, index) => index).sort((a, b) => scores[b]! - scores[a]!);
  let right = 0;
  let best = 1;
  order.forEach((index, position) => {
    right += labels[index]!;
    if (right / (position + 1) >= precision) best = scores[index]!;
  });
  return best;
}

async function pairSimilarities(pairs: readonly CachePairExample[], embedder: Embedder): Promise<number[]> {
  const missing = pairs.filter((pair) => pair.similarity === undefined);
  const texts = [...new Set(missing.flatMap((pair) => [pair.query, pair.cachedQuery]))];
  const vectors = texts.length > 0 ? await embedder.embed(texts) : [];
  const byText = new Map(texts.map((text, index) => [text, vectors[index]!]));
  return pairs.map(
    (pair) => pair.similarity ?? cosineSimilarity(byText.get(pair.query)!, byText.get(pair.cachedQuery)!),
  );
}

/** A model trained from traffic, before it is written: its meta.json gets `metrics` from the rest. */
type TrainedModel = {
  name: TrafficModelReport['name'];
  meta: { layers: DenseLayer[] } & Record<string, unknown>;
  examples: number;
  heldOut: NonNullable<TrafficModelReport['heldOut']>;
  /** More facts for meta.json's `metrics`, after the example count. */
  metricsFacts?: Record<string, unknown>;
  /** What the model predicts, for its model card. */
  target: string;
};

/** Writes model.onnx, meta.json (with the held-out metrics) and MODEL_CARD.md; returns the model's report. */
function writeModel(model: TrainedModel, options: TrafficTrainingOptions): TrafficModelReport {
  const { name, examples, heldOut } = model;
  const report: TrafficModelReport = { name, trained: true, examples, heldOut };
  const meta = {
    ...model.meta,
    metrics: { heldOut: heldOut.metrics, examples, ...model.metricsFacts, seed: options.seed },
  };
  const folder = join(options.out, name);
  mkdirSync(folder, { recursive: true });
  const onnx = writeOnnxModel({
    layers: meta.layers,
    graphName: name.replace('-', '_'),
    producer: 'tokenomics train',
  });
  writeFileSync(join(folder, 'model.onnx'), onnx);
  writeFileSync(join(folder, 'meta.json'), `${JSON.stringify(meta)}\n`);
  writeFileSync(
    join(folder, 'MODEL_CARD.md'),
    trafficModelCard(report, { ...options, target: model.target }),
  );
  return { ...report, folder };
}

function tooFew(
  name: TrafficModelReport['name'],
  labels: readonly number[],
  options: TrafficTrainingOptions,
): TrafficModelReport | undefined {
  const minimum = options.minExamples ?? 20;
  const good = labels.filter((label) => label === 1).length;
  if (labels.length >= minimum && good > 0 && good < labels.length) return undefined;
  return {
    name,
    trained: false,
    examples: labels.length,
    note: `needs at least ${minimum} graded examples with both outcomes (has ${labels.length}, ${good} good)`,
  };
}

function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
