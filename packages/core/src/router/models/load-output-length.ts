import { forward } from '../../cache/verifier/verifier-model';
import { normalQuantile } from '../../util/normal-quantile';
import { LEXICAL_FEATURE_NAMES } from '../features/lexical-features';
import type { RouteFeatures } from '../types';
import { type RouterModelMeta, readRouterModelMeta, routerModelFile } from './router-model-file';

export const OUTPUT_LENGTH_FORMAT = 'tokenomics-output-length/1';

/** Input of the output-length model: the engine's lexical features, then whether the model is a large frontier one. */
export const OUTPUT_LENGTH_FEATURE_NAMES = [...LEXICAL_FEATURE_NAMES, 'frontier-model'] as const;

export type OutputLengthMeta = RouterModelMeta & {
  format: typeof OUTPUT_LENGTH_FORMAT;
  /** The network predicts log(1 + output tokens). */
  target: 'log1p-output-tokens';
  /** Held-out residual spread in log space, for an upper budget (mean + z · spread). */
  residualDeviation: number;
};

export type OutputLengthPredictor = {
  readonly id: string;
  /**
   * Expected output tokens for a request; `quantile` (e.g. 0.9) gives an upper budget instead, from
   * the held-out spread of the log-length error. `frontier` marks a large frontier model (GPT-4 class),
   * which wrote longer worked answers than the open model in training.
   */
  predict(features: RouteFeatures, options?: { frontier?: boolean; quantile?: number }): number;
};

/**
 * The shipped output-length regression (recorded GSM8K answers of GPT-4 and Mixtral): for
 * max-token budgets and pre-call cost estimates. Pure TypeScript (a linear model over 15 numbers
 * needs no runtime); `model.onnx` is shipped alongside for other runtimes.
 */
export function loadOutputLengthPredictor(options: { folder?: string } = {}): OutputLengthPredictor {
  const metaPath = routerModelFile('output-length', options.folder, 'meta.json');
  const meta = readRouterModelMeta<OutputLengthMeta>(
    metaPath,
    OUTPUT_LENGTH_FORMAT,
    OUTPUT_LENGTH_FEATURE_NAMES,
  );
  return {
    id: 'tokenomics-output-length/ts',
    predict(features, predictOptions = {}) {
      const input = new Float64Array(OUTPUT_LENGTH_FEATURE_NAMES.length);
      input.set(features.lexical.subarray(0, LEXICAL_FEATURE_NAMES.length), 0);
      input[LEXICAL_FEATURE_NAMES.length] = predictOptions.frontier ? 1 : 0;
      const logTokens = forward(meta, input);
      const z = predictOptions.quantile === undefined ? 0 : normalQuantile(predictOptions.quantile);
      return Math.max(1, Math.round(Math.expm1(logTokens + z * meta.residualDeviation)));
    },
  };
}
