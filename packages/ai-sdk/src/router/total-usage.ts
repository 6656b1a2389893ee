import type { LanguageModelV4Usage } from '@ai-sdk/provider';

/**
 * The usage of every tier call of a routed call, summed field by field: what the caller is billed
 * for (an escalated cascade's two calls, a scorer's extra sample). A field no call reported stays
 * undefined; the provider's `raw` usage is kept only when there was one call.
 */
export function totalUsage(usages: readonly LanguageModelV4Usage[]): LanguageModelV4Usage | undefined {
  if (usages.length === 0) return undefined;
  if (usages.length === 1) return usages[0];
  const sum = (read: (usage: LanguageModelV4Usage) => number | undefined): number | undefined =>
    usages.reduce<number | undefined>((total, usage) => {
      const value = read(usage);
      return value === undefined ? total : (total ?? 0) + value;
    }, undefined);
  return {
    inputTokens: {
      total: sum((usage) => usage.inputTokens.total),
      noCache: sum((usage) => usage.inputTokens.noCache),
      cacheRead: sum((usage) => usage.inputTokens.cacheRead),
      cacheWrite: sum((usage) => usage.inputTokens.cacheWrite),
    },
    outputTokens: {
      total: sum((usage) => usage.outputTokens.total),
      text: sum((usage) => usage.outputTokens.text),
      reasoning: sum((usage) => usage.outputTokens.reasoning),
    },
  };
}
