import { calcPrice, findProvider, type PriceCalculation, type Provider } from '@pydantic/genai-prices';
import type { BillableUsage } from './billable-usage';
import { parseModelId } from './model-id';
import type { ModelPrice } from './model-price';

/** The price data bundled with the registry package; no network is used at run time. */
export const PRICE_REGISTRY = '@pydantic/genai-prices@0.1.8';

/** The registry's rates for a model at a moment (prices can have start dates), or undefined. */
export function registryPrice(model: string, at?: Date): ModelPrice | undefined {
  const calculation = calculate(model, { uncachedInputTokens: 0, cachedInputTokens: 0, outputTokens: 0 }, at);
  if (!calculation) return undefined;
  const rates = calculation.model_price;
  const input = baseRate(rates.input_mtok);
  const output = baseRate(rates.output_mtok);
  if (input === undefined || output === undefined) return undefined;
  return {
    model,
    inputPerMillion: input,
    outputPerMillion: output,
    cachedInputPerMillion: baseRate(rates.cache_read_mtok) ?? input,
    source: 'registry',
    tiered: [rates.input_mtok, rates.output_mtok, rates.cache_read_mtok].some(
      (rate) => typeof rate === 'object',
    ),
    registryMatch: { provider: calculation.provider.id, model: calculation.model.id },
  };
}

/** Dollars for a call from the registry, long-context tiers applied; undefined when no price matches. */
export function registryCost(
  model: string,
  usage: BillableUsage,
  at?: Date,
): { inputDollars: number; outputDollars: number } | undefined {
  const calculation = calculate(model, usage, at);
  if (!calculation) return undefined;
  const rates = calculation.model_price;
  if (baseRate(rates.input_mtok) === undefined || baseRate(rates.output_mtok) === undefined) return undefined;
  return { inputDollars: calculation.input_price, outputDollars: calculation.output_price };
}

function calculate(model: string, usage: BillableUsage, at?: Date): PriceCalculation | undefined {
  const registryUsage = {
    input_tokens: usage.uncachedInputTokens + usage.cachedInputTokens,
    cache_read_tokens: usage.cachedInputTokens,
    output_tokens: usage.outputTokens,
  };
  const { provider: providerId, name } = parseModelId(model);
  const provider: Provider | undefined = providerId ? findProvider({ providerId }) : undefined;
  try {
    if (provider) return calcPrice(registryUsage, name, { provider, timestamp: at }) ?? undefined;
    // An unknown provider prefix (a proxy, a local stand-in) still names a model the registry may know.
    return (
      calcPrice(registryUsage, name, { timestamp: at }) ??
      (name === model ? undefined : calcPrice(registryUsage, model, { timestamp: at })) ??
      undefined
    );
  } catch {
    // The registry rejects usage it finds inconsistent; an unpriced call beats a crashed one.
    return undefined;
  }
}

function baseRate(rate: unknown): number | undefined {
  if (typeof rate === 'number') return rate;
  if (typeof rate === 'object' && rate !== null && 'base' in rate && typeof rate.base === 'number')
    return rate.base;
  return undefined;
}
