import { forward } from '../../cache/verifier/verifier-model';
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

/** Inverse of the standard normal CDF (Acklam's rational approximation; |error| < 1.2e-9). */
function normalQuantile(probability: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, probability));
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
