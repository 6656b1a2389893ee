import type { LanguageModelV4FinishReason, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { FinishReason, Usage } from '@tokenomics/core';

/** The AI SDK's usage in the cache's framework-neutral shape. */
export function toCoreUsage(usage: LanguageModelV4Usage): Usage {
  const coreUsage: Usage = {
    inputTokens: usage.inputTokens.total,
    cachedInputTokens: usage.inputTokens.cacheRead,
    outputTokens: usage.outputTokens.total,
    reasoningTokens: usage.outputTokens.reasoning,
  };
  for (const key of Object.keys(coreUsage) as Array<keyof Usage>) {
    if (coreUsage[key] === undefined) delete coreUsage[key];
  }
  return coreUsage;
}

/**
 * The usage a cache hit reports: nothing was generated, and the whole prompt counts as read from
 * a cache. `inputTokens.total` keeps the original prompt size so prompt-size dashboards stay
 * meaningful, `cacheRead` equals it so the hit is visible in standard usage fields, and output
 * tokens are 0 because the model produced none.
 */
export function cacheHitUsage(original: Usage): LanguageModelV4Usage {
  const input = original.inputTokens;
  return {
    inputTokens: {
      total: input,
      noCache: input === undefined ? undefined : 0,
      cacheRead: input,
      cacheWrite: 0,
    },
    outputTokens: { total: 0, text: 0, reasoning: 0 },
  };
}

/** Tokens the provider did not have to process because the answer came from the cache. */
export function savedTokens(original: Usage): number {
  return (original.inputTokens ?? 0) + (original.outputTokens ?? 0);
}

export function toCoreFinishReason(finishReason: LanguageModelV4FinishReason): FinishReason {
  return finishReason.unified === 'interrupted' ? 'other' : finishReason.unified;
}

/** Only complete answers are stored: a truncated, filtered or failed one must not be replayed. */
export function isStorableFinish(finishReason: LanguageModelV4FinishReason): boolean {
  return finishReason.unified === 'stop' || finishReason.unified === 'tool-calls';
}
