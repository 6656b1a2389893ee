import type { Usage } from '../cache/cached-response';

/**
 * Token counts ready to price, following the convention of the AI SDK (`inputTokens.total`) and
 * LangChain (`usage_metadata.input_tokens`): `inputTokens` is the whole prompt, cached tokens
 * included, and `outputTokens` is the whole completion, reasoning tokens included. Reasoning is
 * billed at the output rate, so it is only used on its own when a provider reported no output count.
 */
export type BillableUsage = {
  /** Prompt tokens not read from the provider's cache. */
  uncachedInputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
};

export function billableUsage(usage: Usage): BillableUsage {
  const cached = countOf(usage.cachedInputTokens);
  // A cached count larger than the prompt is a provider reporting quirk; the prompt is at least that big.
  const input = Math.max(countOf(usage.inputTokens), cached);
  const output =
    usage.outputTokens === undefined ? countOf(usage.reasoningTokens) : countOf(usage.outputTokens);
  return { uncachedInputTokens: input - cached, cachedInputTokens: cached, outputTokens: output };
}

/** Prompt plus completion tokens, under the same convention as `billableUsage`. */
export function totalTokens(usage: Usage): number {
  const billable = billableUsage(usage);
  return billable.uncachedInputTokens + billable.cachedInputTokens + billable.outputTokens;
}

function countOf(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
