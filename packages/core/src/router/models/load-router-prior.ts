import { type DenseLayer, forward } from '../../cache/verifier/verifier-model';
import { LEXICAL_FEATURE_NAMES } from '../features/lexical-features';
import type { RouteFeatures, RoutePrior } from '../types';
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
};

export type RouterPriorOptions = {
  /** Folder holding `meta.json` (and `model.onnx`); default the one shipped with the package. */
  folder?: string;
  /** 'auto' (default) uses onnxruntime-node when installed, else the TypeScript forward pass. */
  runtime?: 'auto' | 'onnx' | 'typescript';
};

/** The shipped classifier prior: P(the cheaper tier's answer is good enough) for a request. */
export type RouterPrior = {
  readonly id: string;
  readonly runtime: 'onnx' | 'typescript';
  /** Trained with this embedder; requests embedded otherwise (or not at all) use the lexical network. */
  readonly embedder: string;
  /** The engine's prior function (pass it to `classifierPrior` or the bandit). */
  readonly prior: RoutePrior;
  predict(features: RouteFeatures): Promise<number>;
  close(): Promise<void>;
};

/**
 * Loads the router prior trained on RouteLLM's MMLU and GSM8K correctness. With a 512-d USE-lite
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
  const predict = async (features: RouteFeatures): Promise<number> => {
    const embedded = features.embedding?.length === PRIOR_EMBEDDING_DIMENSIONS;
    if (!embedded) return forward({ layers: meta.lexicalLayers }, priorFeatureVector(features, false));
    const vector = priorFeatureVector(features, true);
    if (runner) return (await runner.run([vector]))[0]!;
    return forward(meta, vector);
  };
  return {
    id: `tokenomics-router-prior/${runner ? 'onnx' : 'ts'}`,
    runtime: runner ? 'onnx' : 'typescript',
    embedder: meta.embedder,
    prior: predict,
    predict,
    close: async () => {
      await runner?.close();
    },
  };
}
