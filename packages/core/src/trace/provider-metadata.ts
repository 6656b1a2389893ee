import { type JsonValue, toJsonSafe } from './json-safe';
import type { DecisionTrace } from './trace';

/**
 * The trace as a JSON-safe object for AI SDK `providerMetadata.tokenomics` (or LangChain
 * `response_metadata.tokenomics`): `{ traceId, model, startedAt, durationMs?, steps }`.
 */
export function toProviderMetadata(trace: DecisionTrace): { [key: string]: JsonValue } {
  const metadata: Record<string, unknown> = {
    traceId: trace.id,
    model: trace.request.model,
    startedAt: trace.startedAt,
    durationMs: trace.durationMs,
    steps: trace.steps,
  };
  return toJsonSafe(metadata) as { [key: string]: JsonValue };
}
