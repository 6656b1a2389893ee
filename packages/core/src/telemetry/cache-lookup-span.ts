import type { CacheLookup } from '../cache/types';
import { parseModelId } from '../pricing/model-id';
import type { TokenomicsRequest } from '../request/request';
import { GEN_AI, SPAN_NAMES, TOKENOMICS } from './span-attributes';
import { StageTracer } from './stage-tracer';
import type { TelemetryAttributes, TelemetrySettings } from './telemetry-settings';

/**
 * Runs a cache lookup in a `tokenomics.cache.lookup` span: the result (hit, miss, bypass), the kind
 * of hit and its similarity, and the tokens the hit saved. A lookup that throws ends the span as failed.
 */
export function traceCacheLookup(
  settings: TelemetrySettings | undefined,
  request: Pick<TokenomicsRequest, 'model'>,
  lookup: () => Promise<CacheLookup>,
): Promise<CacheLookup> {
  // Synchronous once the API was looked for: an exact hit should not wait a turn for telemetry.
  const ready = StageTracer.ready(settings);
  if (ready === undefined)
    return StageTracer.for(settings).then((tracer) => inLookupSpan(tracer, request, lookup));
  return inLookupSpan(ready, request, lookup);
}

function inLookupSpan(
  tracer: StageTracer | null,
  request: Pick<TokenomicsRequest, 'model'>,
  lookup: () => Promise<CacheLookup>,
): Promise<CacheLookup> {
  if (!tracer) return lookup();
  const attributes = () => requestAttributes('cache', request.model);
  return tracer.inSpan(SPAN_NAMES.cacheLookup, attributes, lookup, cacheLookupAttributes);
}

export function cacheLookupAttributes(lookup: CacheLookup): TelemetryAttributes {
  if (lookup.status === 'hit') {
    return {
      [TOKENOMICS.cacheResult]: 'hit',
      [TOKENOMICS.cacheHitKind]: lookup.kind,
      [TOKENOMICS.cacheSimilarity]: lookup.similarity,
      [TOKENOMICS.cacheSavedInputTokens]: lookup.response.usage.inputTokens,
      [TOKENOMICS.cacheSavedOutputTokens]: lookup.response.usage.outputTokens,
      [TOKENOMICS.costUsd]: 0,
    };
  }
  if (lookup.status === 'bypass')
    return { [TOKENOMICS.cacheResult]: 'bypass', [TOKENOMICS.cacheReason]: lookup.reason };
  return { [TOKENOMICS.cacheResult]: 'miss', [TOKENOMICS.cacheReason]: lookup.trace.reason };
}

/** The stage and the model a request asks for, as GenAI attributes. */
export function requestAttributes(stage: string, model: string): TelemetryAttributes {
  const { provider, name } = parseModelId(model);
  return { [TOKENOMICS.stage]: stage, [GEN_AI.requestModel]: name, [GEN_AI.providerName]: provider };
}
