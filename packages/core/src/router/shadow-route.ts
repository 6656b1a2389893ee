import type { TokenomicsRequest } from '../request/request';
import type { TraceStep } from '../trace/trace';
import type { RouterEngine } from './types';

/** The metadata key where shadow routing writes the tier it would have chosen, in both adapters. */
export const SHADOW_ROUTE_METADATA_KEY = 'tokenomicsShadowRoute';

/** What the router would have done for a call it did not route (shadow mode). */
export type ShadowRoute = { tier: string; model: string; policy: string; reason: string; prior?: number };

/**
 * Asks the router engine for its decision without calling a tier. The request is built inside the
 * guard: a request that cannot be converted, like a failing decision, is no decision.
 */
export async function decideShadowRoute(
  engine: RouterEngine,
  request: () => TokenomicsRequest,
): Promise<ShadowRoute | undefined> {
  try {
    const decision = await engine.decide(request());
    const route: ShadowRoute = {
      tier: decision.tier.id,
      model: decision.tier.model,
      policy: decision.policy,
      reason: decision.reason,
    };
    if (decision.prior !== undefined) route.prior = decision.prior;
    return route;
  } catch {
    return undefined;
  }
}

/** The decision trace's step for a shadow route: the router decided, and did not route. */
export function shadowRouteStep(route: ShadowRoute): TraceStep {
  return { stage: 'router', decision: 'shadow', reason: route.reason, details: { ...route } };
}
