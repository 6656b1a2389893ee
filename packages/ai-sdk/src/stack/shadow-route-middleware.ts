import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Middleware,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import type { RouterEngine } from '@tokenomics/core';
import { decideShadowRoute, SHADOW_ROUTE_METADATA_KEY, type ShadowRoute } from '@tokenomics/core/internal';
import { toTokenomicsRequest } from '../to-tokenomics-request';

/** The `providerMetadata` key where shadow routing writes the tier it would have chosen. */
export { SHADOW_ROUTE_METADATA_KEY } from '@tokenomics/core/internal';

/** What the router would have done for a call it did not route (shadow mode). */
export type ShadowRouteMetadata = ShadowRoute;

/**
 * Shadow routing: the router decides each call's tier and the decision is reported, while the
 * wrapped model (the baseline tier) answers. A failing decision never fails the call.
 */
export function shadowRouteMiddleware(engine: RouterEngine): LanguageModelV4Middleware {
  const decide = (params: LanguageModelV4CallOptions, model: { provider: string; modelId: string }) =>
    decideShadowRoute(engine, () => toTokenomicsRequest(params, model));
  const withDecision = (
    metadata: SharedV4ProviderMetadata | undefined,
    decision: ShadowRouteMetadata | undefined,
  ) => (decision ? { ...metadata, [SHADOW_ROUTE_METADATA_KEY]: { ...decision } } : metadata);
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const [decision, result] = await Promise.all([decide(params, model), doGenerate()]);
      return { ...result, providerMetadata: withDecision(result.providerMetadata, decision) };
    },
    async wrapStream({ doStream, params, model }) {
      const decision = decide(params, model);
      const result = await doStream();
      const resolved = await decision;
      const stream = result.stream.pipeThrough(
        new TransformStream({
          transform(part, controller) {
            controller.enqueue(
              part.type === 'finish'
                ? { ...part, providerMetadata: withDecision(part.providerMetadata, resolved) }
                : part,
            );
          },
        }),
      );
      return { ...result, stream };
    },
  };
}

/** Reads the shadow routing decision from a result's provider metadata. */
export function getShadowRouteMetadata(
  providerMetadata: SharedV4ProviderMetadata | Record<string, unknown> | undefined,
): ShadowRouteMetadata | undefined {
  const value = providerMetadata?.[SHADOW_ROUTE_METADATA_KEY];
  if (typeof value !== 'object' || value === null || typeof (value as { tier?: unknown }).tier !== 'string')
    return undefined;
  return value as ShadowRouteMetadata;
}
