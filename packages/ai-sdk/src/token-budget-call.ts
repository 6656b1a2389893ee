import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import {
  type OutputLengthPredictor,
  outputLimit,
  planTokenBudget,
  type TokenBudgetPlan,
} from '@tokenomics/core';
import { toTokenomicsRequest } from './to-tokenomics-request';

/** The compression middleware's token-budget options. */
export type TokenBudgetSettings = {
  /**
   * Token budget (opt-in): tokens one call may use, prompt plus answer — a number, or a function
   * of the call for a per-request budget (undefined: no budget for that call). The answer's limit
   * (`maxOutputTokens`) is the output-length model's `outputQuantile` prediction; the prompt is
   * compressed to the rest. A call cut at its limit (`finishReason: 'length'`) is recorded in the
   * `ledger` as truncated, so a budget that is too tight shows in `totals().truncatedCalls`.
   */
  tokenBudget?: number | ((params: LanguageModelV4CallOptions) => number | undefined);
  /** Quantile of the predicted answer length used as the output limit. Default 0.9. */
  outputQuantile?: number;
  /** Predicts answer lengths for the budget; default the shipped output-length model. */
  outputLength?: OutputLengthPredictor;
};

/** The budget plan for a call, or undefined when the call has no budget. */
export function planCallBudget(
  params: LanguageModelV4CallOptions,
  model: { provider: string; modelId: string },
  settings: TokenBudgetSettings,
): TokenBudgetPlan | undefined {
  const total =
    typeof settings.tokenBudget === 'function' ? settings.tokenBudget(params) : settings.tokenBudget;
  if (total === undefined) return undefined;
  return planTokenBudget(toTokenomicsRequest(params, { provider: model.provider, modelId: model.modelId }), {
    totalTokens: total,
    ...(settings.outputQuantile !== undefined ? { outputQuantile: settings.outputQuantile } : {}),
    ...(settings.outputLength ? { outputLength: settings.outputLength } : {}),
  });
}

/** The call with its output limit set from the plan and the prompt's size after compression. */
export function withOutputLimit(
  params: LanguageModelV4CallOptions,
  plan: TokenBudgetPlan,
  promptTokens: number,
): LanguageModelV4CallOptions {
  const limit = outputLimit(plan, promptTokens);
  return { ...params, maxOutputTokens: Math.min(params.maxOutputTokens ?? limit, limit) };
}
