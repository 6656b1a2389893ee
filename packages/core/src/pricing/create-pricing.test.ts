import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { createPricing } from './create-pricing';
import { InvalidPriceOverrideError } from './invalid-price-override-error';
import { PRICE_REGISTRY } from './registry-prices';

/** Rates straight from the registry's bundled data, so the test never restates a price by hand. */
function registryRates(providerId: string, modelId: string): Record<string, number> {
  const model = findProvider({ providerId })?.models.find((candidate) => candidate.id === modelId);
  if (!model || Array.isArray(model.prices))
    throw new Error(`no flat registry price for ${providerId}:${modelId}`);
  const rates: Record<string, number> = {};
  for (const [key, value] of Object.entries(model.prices)) if (typeof value === 'number') rates[key] = value;
  return rates;
}

describe('createPricing with the bundled registry', () => {
  const pricing = createPricing();

  it.each([
    ['openai', 'gpt-4o-mini', 'openai:gpt-4o-mini'],
    ['openai', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['anthropic', 'claude-3-5-haiku-latest', 'anthropic:claude-3-5-haiku-latest'],
    ['google', 'gemini-2.5-flash', 'google.generative-ai:gemini-2.5-flash'],
  ])('prices %s %s (asked as %s) at the registry rates', (providerId, modelId, asked) => {
    const rates = registryRates(providerId, modelId);
    const usage = { inputTokens: 12_345, outputTokens: 678 };
    const expected = (12_345 * rates.input_mtok! + 678 * rates.output_mtok!) / 1_000_000;

    expect(pricing.cost(asked, usage)).toBeCloseTo(expected, 12);
    expect(pricing.price(asked)).toMatchObject({
      inputPerMillion: rates.input_mtok,
      outputPerMillion: rates.output_mtok,
      source: 'registry',
    });
  });

  it('prices cached input tokens at the cached rate, as part of the whole prompt', () => {
    const rates = registryRates('openai', 'gpt-4o-mini');
    expect(rates.cache_read_mtok).toBeLessThan(rates.input_mtok!);
    const estimate = pricing.estimate('openai:gpt-4o-mini', {
      inputTokens: 10_000,
      cachedInputTokens: 4_000,
    });
    expect(estimate.inputDollars).toBeCloseTo(
      (6_000 * rates.input_mtok! + 4_000 * rates.cache_read_mtok!) / 1e6,
      12,
    );
    expect(pricing.price('gpt-4o-mini')?.cachedInputPerMillion).toBe(rates.cache_read_mtok);
  });

  it('counts reasoning inside output tokens, and only on its own when no output count was reported', () => {
    const withBoth = pricing.cost('o3-mini', { inputTokens: 0, outputTokens: 1_000, reasoningTokens: 800 });
    const outputOnly = pricing.cost('o3-mini', { inputTokens: 0, outputTokens: 1_000 });
    const reasoningOnly = pricing.cost('o3-mini', { inputTokens: 0, reasoningTokens: 1_000 });
    expect(withBoth).toBe(outputOnly);
    expect(reasoningOnly).toBe(outputOnly);
  });

  it('applies the long-context tier for a prompt above the threshold', () => {
    const price = pricing.price('anthropic:claude-sonnet-4-5');
    expect(price?.tiered).toBe(true);
    const small = pricing.cost('anthropic:claude-sonnet-4-5', { inputTokens: 100_000 });
    const large = pricing.cost('anthropic:claude-sonnet-4-5', { inputTokens: 300_000 });
    expect(small).toBeCloseTo((100_000 * price!.inputPerMillion) / 1e6, 12);
    expect(large / 300_000).toBeGreaterThan(small / 100_000);
  });

  it('prices a model behind an unknown provider prefix (a proxy or local stand-in) by its name', () => {
    expect(pricing.cost('offline:gpt-4o-mini', { inputTokens: 1_000 })).toBe(
      pricing.cost('gpt-4o-mini', { inputTokens: 1_000 }),
    );
  });

  it('flags an unknown model with cost 0 instead of throwing', () => {
    const estimate = pricing.estimate('acme:does-not-exist-9000', {
      inputTokens: 1_000,
      outputTokens: 1_000,
    });
    expect(estimate).toEqual({
      dollars: 0,
      inputDollars: 0,
      outputDollars: 0,
      priceKnown: false,
      source: 'unknown',
    });
    expect(pricing.price('acme:does-not-exist-9000')).toBeUndefined();
    expect(pricing.cost('acme:does-not-exist-9000', { inputTokens: 5 })).toBe(0);
  });

  it('survives malformed usage (cached above input, negative, NaN)', () => {
    const estimate = pricing.estimate('gpt-4o-mini', {
      inputTokens: 10,
      cachedInputTokens: 20,
      outputTokens: Number.NaN,
    });
    expect(estimate.priceKnown).toBe(true);
    expect(estimate.dollars).toBeGreaterThan(0);
    expect(pricing.cost('gpt-4o-mini', { inputTokens: -5 })).toBe(0);
  });

  it('names the registry version that is installed', () => {
    const require = createRequire(import.meta.url);
    const packageJsonPath = require.resolve('@pydantic/genai-prices').replace(/dist[\\/].*$/, 'package.json');
    const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string };
    expect(PRICE_REGISTRY).toBe(`@pydantic/genai-prices@${version}`);
  });
});

describe('createPricing overrides', () => {
  it('win over the registry, matched by full id or by name without provider', () => {
    const pricing = createPricing({
      overrides: { 'gpt-4o-mini': { inputPerMillion: 1, outputPerMillion: 2, cachedInputPerMillion: 0.5 } },
    });
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 1_000_000 };
    expect(pricing.cost('openai:gpt-4o-mini', usage)).toBeCloseTo(0.8 + 0.1 + 2, 12);
    expect(pricing.estimate('gpt-4o-mini', usage).source).toBe('override');
    expect(pricing.price('OpenAI:GPT-4o-mini')).toMatchObject({ inputPerMillion: 1, source: 'override' });
  });

  it('price a custom model the registry does not know, cached input at the input rate by default', () => {
    const pricing = createPricing({ overrides: { 'my-model': { inputPerMillion: 3, outputPerMillion: 6 } } });
    expect(
      pricing.cost('my-model', { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0 }),
    ).toBeCloseTo(3, 12);
    expect(pricing.estimate('local:my-model', { outputTokens: 500_000 })).toMatchObject({
      dollars: 3,
      priceKnown: true,
    });
  });

  it('can stand alone with the registry turned off', () => {
    const pricing = createPricing({
      registry: false,
      overrides: { 'my-model': { inputPerMillion: 1, outputPerMillion: 1 } },
    });
    expect(pricing.estimate('gpt-4o-mini', { inputTokens: 1_000 }).priceKnown).toBe(false);
    expect(pricing.estimate('my-model', { inputTokens: 1_000 }).priceKnown).toBe(true);
  });

  it('reject a rate that is not a non-negative number with a typed error', () => {
    const attempt = () => createPricing({ overrides: { bad: { inputPerMillion: -1, outputPerMillion: 1 } } });
    expect(attempt).toThrow(/inputPerMillion/);
    try {
      attempt();
    } catch (error) {
      expect(InvalidPriceOverrideError.isInstance(error)).toBe(true);
    }
  });
});
