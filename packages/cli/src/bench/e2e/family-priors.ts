import { forward, priorFeatureVector, promptRouteFeatures, type RoutePrior } from '@tokenomics/core';
import { PRIOR_TRAINING_OPTIONS, trainClassifier } from '../routing/train-classifier';
import { seededUniform } from '../seeded-uniform';
import type { E2eWorkload } from './e2e-workload';

export type FamilyPriors = {
  /** The router's prior: each routing request is scored by the network trained without its family. */
  prior: RoutePrior;
  /** Priors of held-out training rows, so the router's threshold is set from the first request. */
  calibration: number[];
  /** What each family's prior was trained on. */
  trainedOn: Record<string, string[]>;
};

/** Rows per family the priors train on (a seeded sample: MMLU alone has 14,000). */
const ROWS_PER_FAMILY = 2_000;

/**
 * Leave-one-family-out router priors, trained here on lexical features (the shipped prior was
 * trained on four of these families, so it cannot be scored on them): a request of family F is
 * scored by a prior trained on the other routing families only; a request of no routing family
 * (QQP questions, long-context prompts) by a prior trained on all of them, none of which is its own.
 * Label: the weak model's recorded answer was right.
 */
export function trainFamilyPriors(workload: E2eWorkload, seed: number): FamilyPriors {
  const random = seededUniform(seed);
  const rows = new Map<string, Array<{ vector: Float64Array; label: number }>>();
  for (const [family, records] of workload.families) {
    const pair = workload.pairOf.get(family)!;
    const usable = records.filter((record) => record.models[pair.weak] && record.models[pair.strong]);
    const chosen = usable
      .map((record) => ({ record, order: random() }))
      .sort((a, b) => a.order - b.order)
      .slice(0, ROWS_PER_FAMILY);
    rows.set(
      family,
      chosen.map(({ record }) => ({
        vector: priorFeatureVector(promptRouteFeatures(record.prompt), false),
        label: record.models[pair.weak]!.correct >= 0.5 ? 1 : 0,
      })),
    );
  }
  const families = [...rows.keys()];
  const train = (included: string[]) => {
    const data = included.flatMap((family) => rows.get(family)!);
    const layers = trainClassifier(
      data.map((row) => row.vector),
      data.map((row) => row.label),
      { ...PRIOR_TRAINING_OPTIONS, seed },
    );
    return (vector: Float64Array) => forward({ layers }, vector);
  };
  const trainedOn: Record<string, string[]> = {};
  const byFamily = new Map<string, (vector: Float64Array) => number>();
  for (const family of families) {
    trainedOn[family] = families.filter((other) => other !== family);
    byFamily.set(family, train(trainedOn[family]!));
  }
  trainedOn.other = families;
  const all = train(families);

  const familyOfText = new Map<string, string>();
  for (const request of workload.requests) {
    if (byFamily.has(request.family)) familyOfText.set(request.user, request.family);
  }
  const prior: RoutePrior = (features) => {
    const family = familyOfText.get(features.text);
    const model = (family && byFamily.get(family)) || all;
    return model(priorFeatureVector(features, false));
  };
  const calibration = families.flatMap((family) =>
    rows
      .get(family)!
      .slice(0, 100)
      .map((row) => byFamily.get(family)!(row.vector)),
  );
  return { prior, calibration, trainedOn };
}
