import type { TokenomicsHitMetadata } from './generation-codec';

/**
 * The cache hit a message was served from (`response_metadata.tokenomics`: kind, similarity,
 * the usage it saved, trace id), or undefined when the message came from the model.
 * Works on messages from `invoke`, a concatenated `.stream()`, and agent state.
 */
export function getCacheMetadata(
  message: { response_metadata?: Record<string, unknown> } | undefined,
): TokenomicsHitMetadata | undefined {
  const value = message?.response_metadata?.tokenomics;
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = value as Partial<TokenomicsHitMetadata>;
  if (metadata.cached !== true || typeof metadata.traceId !== 'string') return undefined;
  if (metadata.kind !== 'exact' && metadata.kind !== 'semantic') return undefined;
  return metadata as TokenomicsHitMetadata;
}
