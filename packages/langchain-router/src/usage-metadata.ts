import type { UsageMetadata } from '@langchain/core/messages';
import type { Usage } from '@tokenomics/core';

/** The engine's usage as LangChain's `usage_metadata`; undefined when no token count is known. */
export function toUsageMetadata(usage: Usage): UsageMetadata | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const metadata: UsageMetadata = {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
  };
  if (usage.cachedInputTokens !== undefined)
    metadata.input_token_details = { cache_read: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined)
    metadata.output_token_details = { reasoning: usage.reasoningTokens };
  return metadata;
}

/** What `total` spent beyond `shown` (the usage already on the chunks a caller received). */
export function usageBeyond(total: Usage, shown: Usage): Usage {
  const rest: Usage = {};
  for (const field of ['inputTokens', 'cachedInputTokens', 'outputTokens', 'reasoningTokens'] as const) {
    const extra = (total[field] ?? 0) - (shown[field] ?? 0);
    if (extra > 0) rest[field] = extra;
  }
  return rest;
}
