import type { TokenomicsRequest } from '../../request/request';
import type { CallTier, Tier, TierAnswer } from '../types';

/** Two priced tiers: the strong one costs about 16 times the cheap one. */
export const CHEAP: Tier = {
  id: 'cheap',
  model: 'test:cheap-model',
  price: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
};
export const STRONG: Tier = {
  id: 'strong',
  model: 'test:strong-model',
  price: { inputPerMillion: 2.5, outputPerMillion: 10 },
};
export const MIDDLE: Tier = {
  id: 'middle',
  model: 'test:middle-model',
  price: { inputPerMillion: 0.5, outputPerMillion: 2 },
};

/** Prices for a ledger, matching the tiers' own. */
export const TEST_PRICE_OVERRIDES = {
  'test:cheap-model': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'test:middle-model': { inputPerMillion: 0.5, outputPerMillion: 2 },
  'test:strong-model': { inputPerMillion: 2.5, outputPerMillion: 10 },
};

export function userRequest(text: string, extra: Partial<TokenomicsRequest> = {}): TokenomicsRequest {
  return {
    model: 'test:strong-model',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    ...extra,
  };
}

export function textAnswer(text: string, extra: Partial<TierAnswer> = {}): TierAnswer {
  return {
    content: [{ type: 'text', text }],
    finishReason: 'stop',
    usage: { inputTokens: 100, outputTokens: 50 },
    ...extra,
  };
}

/** A CallTier that answers from a table by tier id and records each call. */
export function scriptedTiers(
  answers: Record<string, TierAnswer | Error | ((request: TokenomicsRequest) => TierAnswer)>,
): CallTier & { calls: Array<{ tierId: string; model: string; purpose: string }> } {
  const calls: Array<{ tierId: string; model: string; purpose: string }> = [];
  const callTier = (async (tier, request, context) => {
    calls.push({ tierId: tier.id, model: request.model, purpose: context.purpose });
    const answer = answers[tier.id];
    if (answer === undefined) throw new Error(`no answer scripted for ${tier.id}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(request) : answer;
  }) as CallTier & { calls: typeof calls };
  callTier.calls = calls;
  return callTier;
}
