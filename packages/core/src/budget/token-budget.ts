import type { TokenomicsRequest } from '../request/request';
import { extractRouteFeatures } from '../router/features/lexical-features';
import { loadOutputLengthPredictor, type OutputLengthPredictor } from '../router/models/load-output-length';
import { InvalidTokenBudgetError } from './invalid-token-budget-error';

export type TokenBudgetOptions = {
  /** Tokens one request may use in all: prompt plus answer. */
  totalTokens: number;
  /**
   * Quantile of the output-length model's prediction used as the output limit: 0.9 leaves about one
   * answer in ten cut short (`finishReason: 'length'`) on data like the model's. Default 0.9.
   */
  outputQuantile?: number;
  /** Predicts answer lengths; default the shipped output-length model. */
  outputLength?: OutputLengthPredictor;
  /** The answering model is a large frontier model (longer answers in the model's training). */
  frontier?: boolean;
};

/** How a budget splits between the prompt and the answer, before the prompt is compressed. */
export type TokenBudgetPlan = {
  totalTokens: number;
  /** The output limit the answer needs at the quantile asked (before the prompt's share is known). */
  outputTokens: number;
  /** What the prompt may use: compression's `targetTokens`. */
  promptTokens: number;
};

export const DEFAULT_OUTPUT_QUANTILE = 0.9;
/** The prompt keeps at least this many tokens of the budget, however long the predicted answer. */
const MIN_PROMPT_SHARE = 0.25;

/**
 * Splits a request's token budget: the answer gets the output-length model's quantile (at most
 * three quarters of the budget), the prompt the rest, which becomes compression's target.
 * Throws `InvalidTokenBudgetError` for a budget that is not a positive number.
 */
export function planTokenBudget(request: TokenomicsRequest, options: TokenBudgetOptions): TokenBudgetPlan {
  const total = options.totalTokens;
  if (!(Number.isFinite(total) && total >= 2))
    throw new InvalidTokenBudgetError(`totalTokens must be a number of at least 2, got ${total}`);
  const quantile = options.outputQuantile ?? DEFAULT_OUTPUT_QUANTILE;
  if (!(quantile > 0 && quantile < 1))
    throw new InvalidTokenBudgetError(`outputQuantile must be within (0, 1), got ${quantile}`);
  const predictor = options.outputLength ?? defaultPredictor();
  const predicted = predictor.predict(extractRouteFeatures(request), {
    quantile,
    ...(options.frontier ? { frontier: true } : {}),
  });
  const outputTokens = Math.max(1, Math.min(predicted, Math.floor(total * (1 - MIN_PROMPT_SHARE))));
  return { totalTokens: total, outputTokens, promptTokens: total - outputTokens };
}

/**
 * The output limit once the prompt's size is known: the planned limit, lowered when the prompt
 * (compression fell short of its target) leaves less of the budget, never below 1.
 */
export function outputLimit(plan: TokenBudgetPlan, promptTokens: number): number {
  return Math.max(1, Math.min(plan.outputTokens, plan.totalTokens - promptTokens));
}

let shipped: OutputLengthPredictor | undefined;
function defaultPredictor(): OutputLengthPredictor {
  shipped ??= loadOutputLengthPredictor();
  return shipped;
}
