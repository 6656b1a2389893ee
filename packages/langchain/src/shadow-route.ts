import type { BaseMessage } from '@langchain/core/messages';
import type { RouterEngine } from '@tokenomics/core';
import { decideShadowRoute as decide, type ShadowRoute } from '@tokenomics/core/internal';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';

/** The `response_metadata` key where shadow routing writes the tier it would have chosen. */
export { SHADOW_ROUTE_METADATA_KEY, type ShadowRoute } from '@tokenomics/core/internal';

/** Asks the router engine for its decision on these messages without calling a tier; a failing decision is no decision. */
export function decideShadowRoute(
  engine: RouterEngine,
  messages: BaseMessage[],
): Promise<ShadowRoute | undefined> {
  return decide(engine, () => toTokenomicsRequest(messages, {}));
}
