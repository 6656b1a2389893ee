import { type DenseLayer, forward } from '../../cache/verifier/verifier-model';
import { LEXICAL_FEATURE_NAMES } from '../features/lexical-features';
import type { RouteFeatures, RoutePrior } from '../types';
import { coverageDistance, coverageRatio, type PriorCoverage } from './prior-coverage';
import { PRIOR_EMBEDDING_DIMENSIONS, priorFeatureNames, priorFeatureVector } from './prior-features';
import {
  loadRouterModelRunner,
  type RouterModelMeta,
  readRouterModelMeta,
  routerModelFile,
} from './router-model-file';
import { RouterModelUnavailableError } from './router-model-unavailable-error';

export const ROUTER_PRIOR_FORMAT = 'tokenomics-router-prior/1';

/** The router prior's `meta.json`: the embedding network and a lexical-only one for requests without an embedding. */
export type RouterPriorMeta = RouterModelMeta & {
  format: typeof ROUTER_PRIOR_FORMAT;
  /** Id of the embedder the embedding network was trained with. */
  embedder: string;
  /** What the probability means, e.g. "the weak model's answer is correct". */
  target: string;
  lexicalFeatures: string[];
  lexicalLayers: DenseLayer[];
  /**
   * Where the training prompts lie, per input space: a prompt outside gets the out-of-coverage
   * prior instead of the network's guess. Absent in models trained before coverage was recorded.
   */
  coverage?: { embedding?: PriorCoverage; lexical?: PriorCoverage };
  /**
   * The median of the embedding network's probabilities on its training prompts: what a prompt
   * outside the coverage gets, so it sits in the middle of the ranking (a random router's place)
   * instead of first or last. Absent in older files (they fall back to 0).
   */
  neutralPrior?: number;
  /** The same for the lexical network. */
  lexicalNeutralPrior?: number;
};

export type RouterPriorOptions = {
  /** Folder holding `meta.json` (and `model.onnx`); default the one shipped with the package. */
  folder?: string;
  /** 'auto' (default) uses onnxruntime-node when installed, else the TypeScript forward pass. */
  runtime?: 'auto' | 'onnx' | 'typescript';
  /**
   * The prior given to a prompt unlike any the model was trained on (outside its coverage, in topic
   * or in form), where its guess is no evidence. Default `'neutral'`: the model's neutral prior (the
   * median of its probabilities on its training prompts), so the prompt is ranked as a random router
   * would and a learning bandit starts it at an ordinary expectation. 0 sends every such prompt to
   * the strongest tier, as if there were no router.
   */
  outOfCoveragePrior?: number | 'neutral';
};

/** Whether a prompt lies within the prior's training data, and how far from it. */
export type PriorCoverageCheck = {
  covered: boolean;
  space: 'embedding' | 'lexical';
  /** Distance to the nearest centroid. */
  distance: number;
  maxDistance: number;
  /** Distance in cluster radii; inside when at most `threshold`. */
  ratio: number;
  threshold: number;
};

/** The shipped classifier prior: P(the cheaper tier's answer is good enough) for a request. */
export type RouterPrior = {
  readonly id: string;
  readonly runtime: 'onnx' | 'typescript';
  /** Trained with this embedder; requests embedded otherwise (or not at all) use the lexical network. */
  readonly embedder: string;
  /** The engine's prior function (pass it to `classifierPrior` or the bandit). */
  readonly prior: RoutePrior;
  /** The probability, or `outOfCoveragePrior` for a prompt outside the training data. */
  predict(features: RouteFeatures): Promise<number>;
  /** The network's own probability, coverage ignored (for evaluation). */
  predictUnchecked(features: RouteFeatures): Promise<number>;
  /** Where the prompt lies against the training data; undefined for a model without coverage. */
  coverage(features: RouteFeatures): PriorCoverageCheck | undefined;
  close(): Promise<void>;
};

/**
 * Loads the router prior trained on RouteLLM's MMLU and GSM8K and RouterBench's ARC-Challenge and MBPP
 * correctness; a prompt outside its training coverage gets `outOfCoveragePrior`. With a 512-d USE-lite
 * embedding in the features it runs the full network (ONNX when available); without one it runs the
 * lexical-only network, which is weaker (see the model card). Throws `RouterModelUnavailableError`
 * when the files are missing or stale, or when `runtime: 'onnx'` is asked and onnxruntime-node is not installed.
 */
export async function loadRouterPrior(options: RouterPriorOptions = {}): Promise<RouterPrior> {
  const metaPath = routerModelFile('router-prior', options.folder, 'meta.json');
  const meta = readRouterModelMeta<RouterPriorMeta>(metaPath, ROUTER_PRIOR_FORMAT, priorFeatureNames(true));
  if (meta.lexicalFeatures.join(',') !== LEXICAL_FEATURE_NAMES.join(',')) {
    throw new RouterModelUnavailableError(`${metaPath}: its lexical network was trained on other features`);
  }
  const runner = await loadRouterModelRunner(
    'router-prior',
    options.folder,
    meta.features.length,
    options.runtime,
  );
  const predictUnchecked = async (features: RouteFeatures): Promise<number> => {
    const embedded = features.embedding?.length === PRIOR_EMBEDDING_DIMENSIONS;
    if (!embedded) return forward({ layers: meta.lexicalLayers }, priorFeatureVector(features, false));
    const vector = priorFeatureVector(features, true);
    if (runner) return (await runner.run([vector]))[0]!;
    return forward(meta, vector);
  };
  const neutral = (features: RouteFeatures): number => {
    if (typeof options.outOfCoveragePrior === 'number') return options.outOfCoveragePrior;
    const embedded = features.embedding?.length === PRIOR_EMBEDDING_DIMENSIONS;
    return (embedded ? meta.neutralPrior : meta.lexicalNeutralPrior) ?? 0;
  };
  const coverage = (features: RouteFeatures) => checkCoverage(meta, features);
  // The function carries the coverage check, so a policy given only `prior` can still tell (and keep
  // an uncovered prompt on the strongest tier).
  const predict = Object.assign(
    async (features: RouteFeatures): Promise<number> =>
      coverage(features)?.covered === false ? neutral(features) : predictUnchecked(features),
    { coverage },
  );
  return {
    id: `tokenomics-router-prior/${runner ? 'onnx' : 'ts'}`,
    runtime: runner ? 'onnx' : 'typescript',
    embedder: meta.embedder,
    prior: predict,
    predict,
    predictUnchecked,
    coverage,
    close: async () => {
      await runner?.close();
    },
  };
}

/**
 * Inside the coverage when the prompt is like the training prompts in form (lexical features) and,
 * when it has an embedding, in topic too; the first space it falls outside is reported.
 */
function checkCoverage(meta: RouterPriorMeta, features: RouteFeatures): PriorCoverageCheck | undefined {
  const spaces: Array<PriorCoverageCheck['space']> =
    features.embedding?.length === PRIOR_EMBEDDING_DIMENSIONS ? ['embedding', 'lexical'] : ['lexical'];
  let last: PriorCoverageCheck | undefined;
  for (const space of spaces) {
    const coverage = meta.coverage?.[space];
    if (!coverage) continue;
    const vector = space === 'embedding' ? (features.embedding as Float32Array) : features.lexical;
    const ratio = coverageRatio(coverage, vector);
    const threshold = coverage.threshold ?? 1;
    last = {
      covered: ratio <= threshold,
      space,
      distance: coverageDistance(coverage, vector),
      maxDistance: coverage.maxDistance,
      ratio,
      threshold,
    };
    if (!last.covered) return last;
  }
  return last;
}
