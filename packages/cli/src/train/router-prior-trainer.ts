import {
  coverageRatio,
  type DenseLayer,
  fitCoverage,
  forward,
  type PriorCoverage,
  priorFeatureVector,
  promptRouteFeatures,
} from '@tokenomics/core';
import { PRIOR_TRAINING_OPTIONS, trainClassifier } from '../bench/routing/train-classifier';
import { seededUniform } from '../bench/seeded-uniform';

/** One prompt the prior learns from: was the cheap model's answer good enough, and which task family (or group) it came from. */
export type PriorExample = {
  prompt: string;
  /** 1 when the cheap model's answer was good enough. */
  label: number;
  /** Task family, source or tenant: the unit held out by the leave-out report and the coverage calibration. */
  group: string;
  /** The prompt's 512-d USE-lite embedding, when there is one. */
  embedding?: Float32Array;
};

/** What the prior needs besides its two networks: where its training prompts lie and what it says elsewhere. */
export type TrainedPrior = {
  layers: DenseLayer[];
  lexicalLayers: DenseLayer[];
  coverage: { embedding?: PriorCoverage; lexical: PriorCoverage };
  /** The median of the network's probabilities on its training prompts: the prior of a prompt it does not know. */
  neutralPrior: number;
  lexicalNeutralPrior: number;
};

export type PriorTrainingSettings = {
  seed: number;
  /** k-means clusters per coverage space. */
  clusters?: number;
  /** Share of a held-out family's prompts the calibrated coverage may still call inside. Default `UNSEEN_INSIDE`. */
  unseenInside?: number;
};

export const PRIOR_COVERAGE_CLUSTERS = 48;

/**
 * At most 1 in 100 prompts of a family the prior never saw may fall inside its coverage: set before
 * any result was seen, so that an unseen family is treated as unseen (its prompts get the neutral
 * prior) and the prior cannot do worse than a random router there.
 */
export const UNSEEN_INSIDE = 0.01;

/**
 * Trains the prior on `examples`: the embedding network (when every example has an embedding), the
 * lexical network, each space's coverage with its threshold calibrated on the groups held out of it
 * in turn, and the neutral prior. Deterministic under `seed`.
 */
export function trainPrior(examples: readonly PriorExample[], settings: PriorTrainingSettings): TrainedPrior {
  const training = { ...PRIOR_TRAINING_OPTIONS, seed: settings.seed };
  const labels = examples.map((example) => example.label);
  const embedded = examples.every((example) => example.embedding);
  const lexicalRows = examples.map((example) => lexicalRow(example));
  const lexicalLayers = trainClassifier(lexicalRows, labels, training);
  const fullRows = embedded ? examples.map((example) => fullRow(example)) : [];
  const layers = embedded ? trainClassifier(fullRows, labels, training) : lexicalLayers;
  const groups = examples.map((example) => example.group);
  const lexicalFeatures = examples.map((example) => promptRouteFeatures(example.prompt).lexical);
  return {
    layers,
    lexicalLayers,
    coverage: {
      lexical: calibratedCoverage(lexicalFeatures, groups, true, settings),
      ...(embedded
        ? {
            embedding: calibratedCoverage(
              examples.map((example) => example.embedding!),
              groups,
              false,
              settings,
            ),
          }
        : {}),
    },
    neutralPrior: median(fullRows.length > 0 ? fullRows.map((row) => forward({ layers }, row)) : []),
    lexicalNeutralPrior: median(lexicalRows.map((row) => forward({ layers: lexicalLayers }, row))),
  };
}

/** The prior's probability for an example, or its neutral prior when the example lies outside the coverage. */
export function gatedPrior(prior: TrainedPrior, example: PriorExample): { value: number; covered: boolean } {
  const withEmbedding = Boolean(example.embedding && prior.coverage.embedding);
  const lexical = promptRouteFeatures(example.prompt).lexical;
  const covered =
    inside(prior.coverage.lexical, lexical) &&
    (!withEmbedding || inside(prior.coverage.embedding!, example.embedding!));
  if (!withEmbedding) {
    const value = forward({ layers: prior.lexicalLayers }, lexicalRow(example));
    return { value: covered ? value : prior.lexicalNeutralPrior, covered };
  }
  const value = forward({ layers: prior.layers }, fullRow(example));
  return { value: covered ? value : prior.neutralPrior, covered };
}

/** The network's own probability, coverage ignored (for the raw rows of a report). */
export function ungatedPrior(prior: TrainedPrior, example: PriorExample): number {
  return example.embedding && prior.coverage.embedding
    ? forward({ layers: prior.layers }, fullRow(example))
    : forward({ layers: prior.lexicalLayers }, lexicalRow(example));
}

export type HeldOutPrediction = { unit: string; index: number; value: number; raw: number; covered: boolean };

/**
 * Leave one unit out: for every unit (by default the example's group), trains the prior on the
 * other examples (coverage calibrated on their groups alone) and predicts the held-out unit's
 * prompts. The held-out unit is used for nothing but the prediction.
 */
export function leaveOneGroupOut(
  examples: readonly PriorExample[],
  settings: PriorTrainingSettings,
  options: { units?: readonly string[]; onUnit?: (unit: string) => void } = {},
): HeldOutPrediction[] {
  const units = options.units ?? examples.map((example) => example.group);
  const distinct = [...new Set(units)];
  const predictions: HeldOutPrediction[] = [];
  if (distinct.length < 2) return predictions;
  for (const unit of distinct) {
    const training = examples.filter((_, index) => units[index] !== unit);
    const prior = trainPrior(training, settings);
    examples.forEach((example, index) => {
      if (units[index] !== unit) return;
      const { value, covered } = gatedPrior(prior, example);
      predictions.push({ unit, index, value, raw: ungatedPrior(prior, example), covered });
    });
    options.onUnit?.(unit);
  }
  return predictions;
}

/**
 * A coverage of every vector, with its threshold set so that, when each group in turn is left out
 * of the coverage, at most `unseenInside` of that group's vectors fall inside (the tightest group
 * decides; never looser than the clusters' own radii). With one group there is nothing to calibrate
 * on and the radii stand.
 */
export function calibratedCoverage(
  vectors: readonly ArrayLike<number>[],
  groups: readonly string[],
  standardizeFeatures: boolean,
  settings: PriorTrainingSettings,
): PriorCoverage {
  const fit = (chosen: readonly ArrayLike<number>[]) =>
    fitCoverage(chosen, {
      clusters: settings.clusters ?? PRIOR_COVERAGE_CLUSTERS,
      standardizeFeatures,
      random: seededUniform(settings.seed),
    });
  const coverage = fit(vectors);
  let threshold = 1;
  for (const group of new Set(groups)) {
    const others = vectors.filter((_, index) => groups[index] !== group);
    const held = vectors.filter((_, index) => groups[index] === group);
    if (others.length === 0 || held.length === 0) continue;
    const partial = fit(others);
    const ratios = held.map((vector) => coverageRatio(partial, vector)).sort((a, b) => a - b);
    const index = Math.floor((settings.unseenInside ?? UNSEEN_INSIDE) * ratios.length);
    threshold = Math.min(threshold, ratios[Math.min(index, ratios.length - 1)]!);
  }
  return { ...coverage, threshold: Math.round(threshold * 1e5) / 1e5 };
}

function inside(coverage: PriorCoverage, vector: ArrayLike<number>): boolean {
  return coverageRatio(coverage, vector) <= (coverage.threshold ?? 1);
}

function lexicalRow(example: PriorExample): Float64Array {
  return priorFeatureVector(promptRouteFeatures(example.prompt), false);
}

function fullRow(example: PriorExample): Float64Array {
  return priorFeatureVector(promptRouteFeatures(example.prompt, example.embedding), true);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0.5;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 1e6) / 1e6;
}
