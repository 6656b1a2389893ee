import { ROUTE_METADATA_KEY, type RouteMetadata } from '@tokenomics/core';

/** Reads the router's metadata from a message's `response_metadata`, or undefined if it has none. */
export function getRouteMetadata(
  message: { response_metadata?: Record<string, unknown> } | undefined,
): RouteMetadata | undefined {
  const value = message?.response_metadata?.[ROUTE_METADATA_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const metadata = value as Partial<RouteMetadata>;
  if (typeof metadata.route?.traceId !== 'string' || typeof metadata.cost?.dollars !== 'number')
    return undefined;
  return metadata as RouteMetadata;
}
