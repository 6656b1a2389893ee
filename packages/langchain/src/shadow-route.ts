import type { BaseMessage } from '@langchain/core/messages';
import type { RouterEngine } from '@tokenomics/core';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';

/** The `response_metadata` key where shadow routing writes the tier it would have chosen. */
export const SHADOW_ROUTE_METADATA_KEY = 'tokenomicsShadowRoute';

/** What the router would have done for a call it did not route (shadow mode). */
export type ShadowRoute = { tier: string; model: string; policy: string; reason: string; prior?: number };

/** Asks the router engine for its decision without calling a tier; a failing decision is no decision. */
export async function decideShadowRoute(
  engine: RouterEngine,
  messages: BaseMessage[],
): Promise<ShadowRoute | undefined> {
  try {
    const decision = await engine.decide(toTokenomicsRequest(messages, {}));
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
