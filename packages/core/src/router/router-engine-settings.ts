import { createRouter } from './create-router';
import type { RouterEngine, RouterOptions, Tier } from './types';

/** Either a ready engine (shared with other adapters), or what it takes to build one. */
export type RouterEngineSettings =
  | ({ engine?: undefined } & Omit<RouterOptions, 'tiers'>)
  | {
      /**
       * An engine built with `createRouter`; its tier ids must match this router's. Its
       * policy is not visible from here, so `.stream()` defaults to `'after-review'`.
       */
      engine: RouterEngine;
    };

/**
 * The engine for an adapter's tiers, and whether its policy reviews answers (a cascade). Shared by
 * the LangChain and AI SDK routers.
 */
export function resolveRouterEngine(
  tiers: Tier[],
  settings: RouterEngineSettings,
): { engine: RouterEngine; reviews: boolean } {
  if (settings.engine) {
    const known = new Set(settings.engine.tiers.map((tier) => tier.id));
    const missing = tiers.filter((tier) => !known.has(tier.id)).map((tier) => tier.id);
    if (missing.length > 0 || known.size !== tiers.length)
      throw new Error(`The engine's tiers (${[...known].join(', ')}) do not match the router's tiers.`);
    return { engine: settings.engine, reviews: true };
  }
  const options: RouterOptions = { tiers, policy: settings.policy };
  for (const key of Object.keys(ENGINE_OPTION_KEYS) as Array<keyof typeof ENGINE_OPTION_KEYS>) {
    if (settings[key] !== undefined) (options as Record<string, unknown>)[key] = settings[key];
  }
  return {
    engine: createRouter(options),
    reviews: typeof settings.policy.review === 'function',
  };
}

/** The engine's options besides tiers: picked by name, since the fields also hold the adapter's own. */
const ENGINE_OPTION_KEYS = {
  policy: true,
  pricing: true,
  ledger: true,
  embedder: true,
  seed: true,
  maxDecisions: true,
  rewardScorers: true,
  baselineTier: true,
  expectedOutputTokens: true,
  countTokens: true,
  fallback: true,
  retry: true,
  circuitBreaker: true,
  shadowWaitMs: true,
} satisfies Record<keyof Omit<RouterOptions, 'tiers'>, true>;
