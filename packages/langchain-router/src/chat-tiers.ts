import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ModelPriceOverride, Tier } from '@tokenomics/core';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';

/** One tier of a `RouterChatModel`. */
export type ChatTierInput = {
  /** The chat model this tier calls, configured as it should be called (model name, temperature). */
  model: BaseChatModel;
  /** Unique name of the tier in traces, metadata and bandit state. Default: the model id. */
  id?: string;
  /**
   * Provider-qualified model id used for prices and the ledger, e.g. `openai:gpt-4o-mini`.
   * Default: read from the model's identifying params (`<_llmType>:<model name>`).
   */
  modelId?: string;
  /**
   * Dollars per million tokens for this tier (a fine-tuned or self-hosted model, a negotiated rate,
   * a model the price registry lacks). Wins over the registry for routing, the route metadata's
   * cost and the ledger.
   */
  price?: ModelPriceOverride;
};

export type ChatTier = { tier: Tier; model: BaseChatModel };

/** Names and prices each chat model as an engine tier. */
export function toChatTiers(inputs: readonly ChatTierInput[]): ChatTier[] {
  return inputs.map((input) => {
    const model = input.modelId ?? modelIdOf(input.model);
    const tier: Tier = { id: input.id ?? model, model };
    if (input.price) tier.price = input.price;
    return { tier, model: input.model };
  });
}

/** The id the cache adapter gives the model (same reading of its identifying params). */
function modelIdOf(model: BaseChatModel): string {
  const id = toTokenomicsRequest([], { model }).model;
  return id === 'unknown' ? model.getName() : id;
}
