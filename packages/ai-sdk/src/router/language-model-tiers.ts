import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { ModelPriceOverride, Tier } from '@tokenomics/core';
import { wrapLanguageModel } from 'ai';
import {
  type AiCallOptions,
  type AnyLanguageModel,
  installedSpecificationVersion,
} from '../installed-specification';
import { asV4Model } from '../v3-bridge';

/** Call options a tier may fix for itself (merged over each call's options for that tier). */
export type TierCallOptions = Partial<
  Pick<
    AiCallOptions,
    | 'temperature'
    | 'topP'
    | 'topK'
    | 'maxOutputTokens'
    | 'stopSequences'
    | 'seed'
    | 'presencePenalty'
    | 'frequencyPenalty'
    | 'providerOptions'
  >
>;

/** One tier of a router model. */
export type RouterModelTier = {
  /** A language model of any specification version the AI SDK supports (V2 and V3 are converted). */
  model: AnyLanguageModel;
  /** Unique name of the tier in traces, metadata and bandit state. Default: the model id. */
  id?: string;
  /** Provider-qualified model id for prices and the ledger. Default `<provider>:<modelId>`. */
  modelId?: string;
  /**
   * Dollars per million tokens for this tier (a fine-tuned or self-hosted model, a negotiated rate,
   * a model the price registry lacks). Wins over the registry for routing, the route metadata's
   * cost and the ledger.
   */
  price?: ModelPriceOverride;
  /** Settings this tier is always called with (e.g. a lower temperature for the strong model). */
  callOptions?: TierCallOptions;
};

export type LanguageModelTier = { tier: Tier; model: LanguageModelV4; callOptions: TierCallOptions };

/** Names and prices each model as an engine tier, converted to `LanguageModelV4`. */
export function toLanguageModelTiers(inputs: readonly RouterModelTier[]): LanguageModelTier[] {
  return inputs.map((input) => {
    const model = asLanguageModelV4(input.model);
    const modelId = input.modelId ?? `${model.provider}:${model.modelId}`;
    const tier: Tier = { id: input.id ?? modelId, model: modelId };
    if (input.price) tier.price = input.price;
    const { providerOptions: _providerOptions, ...settings } = input.callOptions ?? {};
    if (Object.keys(settings).length > 0) tier.settings = settings;
    return { tier, model, callOptions: input.callOptions ?? {} };
  });
}

/**
 * `ai` 7's own conversion (wrapping with no middleware returns a V4 view of V2 and V3 models);
 * under `ai` 6, which has none, the V3 bridge.
 */
function asLanguageModelV4(model: RouterModelTier['model']): LanguageModelV4 {
  if (installedSpecificationVersion() === 'v3') return asV4Model(model);
  return wrapLanguageModel({ model, middleware: [] }) as LanguageModelV4;
}

/** The call options a tier is called with: the call's, with the tier's own merged over them. */
export function tierCallOptions(
  options: LanguageModelV4CallOptions,
  tier: LanguageModelTier,
  signal: AbortSignal | undefined,
): LanguageModelV4CallOptions {
  const { providerOptions, ...settings } = tier.callOptions;
  const merged: LanguageModelV4CallOptions = { ...options, ...settings };
  if (providerOptions) merged.providerOptions = { ...options.providerOptions, ...providerOptions };
  if (signal) merged.abortSignal = signal;
  return merged;
}
