import type { JSONObject, SharedV4ProviderMetadata } from '@ai-sdk/provider';
import { ROUTE_METADATA_KEY, type RouteMetadata } from '@tokenomics/core';

/** Reads the router's metadata from `providerMetadata`, or undefined if the call was not routed. */
export function getRouteMetadata(
  providerMetadata: Record<string, unknown> | undefined,
): RouteMetadata | undefined {
  const value = providerMetadata?.[ROUTE_METADATA_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = value as Partial<RouteMetadata>;
  if (typeof metadata.route?.traceId !== 'string' || typeof metadata.cost?.dollars !== 'number')
    return undefined;
  return metadata as RouteMetadata;
}

/**
 * Adds the route next to what the tier reported. Other fields in the `tokenomics` namespace (a
 * cache middleware's, when a tier is itself cached) are kept; the router's trace id wins.
 */
export function withRouteMetadata(
  providerMetadata: SharedV4ProviderMetadata | undefined,
  metadata: RouteMetadata,
): SharedV4ProviderMetadata {
  const existing = providerMetadata?.[ROUTE_METADATA_KEY];
  return {
    ...providerMetadata,
    [ROUTE_METADATA_KEY]: { ...existing, ...(JSON.parse(JSON.stringify(metadata)) as JSONObject) },
  };
}
