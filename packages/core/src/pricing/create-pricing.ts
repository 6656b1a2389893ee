import type { Usage } from '../cache/cached-response';
import { billableUsage } from './billable-usage';
import { costAtRates, invalidRate } from './cost-at-rates';
import { InvalidPriceOverrideError } from './invalid-price-override-error';
import { parseModelId } from './model-id';
import type { CostEstimate, ModelPrice, ModelPriceOverride } from './model-price';
import { registryCost, registryPrice } from './registry-prices';

export type PricingOptions = {
  /**
   * Your own rates, keyed by model id. A key matches the id as written (`openai:gpt-4o`) or its
   * name without the provider (`gpt-4o` matches `openai:gpt-4o` and `azure:gpt-4o`). Case-insensitive.
   */
  overrides?: Record<string, ModelPriceOverride>;
  /** Use the bundled price registry for models without an override. Default true. */
  registry?: boolean;
};

export type Pricing = {
  /** The rates used for a model, or undefined when neither an override nor the registry knows it. */
  price(model: string): ModelPrice | undefined;
  /** Dollars for one call; 0 for a model with no known price (see `estimate` for the flag). */
  cost(model: string, usage: Usage, at?: Date | number): number;
  /** Dollars for one call with its parts and whether the price was known. Never throws. */
  estimate(model: string, usage: Usage, at?: Date | number): CostEstimate;
};

/**
 * Prices calls from the user's overrides first, then from the bundled registry
 * (`@pydantic/genai-prices`, data shipped in the package, no network at run time).
 */
export function createPricing(options: PricingOptions = {}): Pricing {
  const overrides = normalizeOverrides(options.overrides ?? {});
  const useRegistry = options.registry ?? true;

  function findOverride(model: string): ModelPriceOverride | undefined {
    return overrides.get(model.trim().toLowerCase()) ?? overrides.get(parseModelId(model).name.toLowerCase());
  }

  function price(model: string): ModelPrice | undefined {
    const override = findOverride(model);
    if (override) return overridePrice(model, override);
    return useRegistry ? registryPrice(model) : undefined;
  }

  function estimate(model: string, usage: Usage, at?: Date | number): CostEstimate {
    const override = findOverride(model);
    if (override) return costAtRates(override, usage);
    const fromRegistry = useRegistry ? registryCost(model, billableUsage(usage), toDate(at)) : undefined;
    if (!fromRegistry)
      return { dollars: 0, inputDollars: 0, outputDollars: 0, priceKnown: false, source: 'unknown' };
    return {
      dollars: fromRegistry.inputDollars + fromRegistry.outputDollars,
      inputDollars: fromRegistry.inputDollars,
      outputDollars: fromRegistry.outputDollars,
      priceKnown: true,
      source: 'registry',
    };
  }

  return {
    price,
    estimate,
    cost: (model, usage, at) => estimate(model, usage, at).dollars,
  };
}

function normalizeOverrides(overrides: Record<string, ModelPriceOverride>): Map<string, ModelPriceOverride> {
  const normalized = new Map<string, ModelPriceOverride>();
  for (const [model, rates] of Object.entries(overrides)) {
    const invalid = invalidRate(rates);
    if (invalid) throw new InvalidPriceOverrideError(model, invalid.field, invalid.value);
    normalized.set(model.trim().toLowerCase(), rates);
  }
  return normalized;
}

function overridePrice(model: string, override: ModelPriceOverride): ModelPrice {
  return {
    model,
    inputPerMillion: override.inputPerMillion,
    outputPerMillion: override.outputPerMillion,
    cachedInputPerMillion: override.cachedInputPerMillion ?? override.inputPerMillion,
    source: 'override',
    tiered: false,
  };
}

function toDate(at: Date | number | undefined): Date | undefined {
  return typeof at === 'number' ? new Date(at) : at;
}
