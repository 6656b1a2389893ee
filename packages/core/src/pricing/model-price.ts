/** Dollars per million tokens for one model, as the pricing resolved it. */
export type ModelPrice = {
  /** The model id the price was looked up for. */
  model: string;
  inputPerMillion: number;
  outputPerMillion: number;
  /**
   * Rate for input tokens read from the provider's prompt cache. Equal to `inputPerMillion` when
   * no cached rate is known, so a cached token is never priced below what we can vouch for.
   */
  cachedInputPerMillion: number;
  /** 'override' when the user's table gave it, 'registry' when the bundled price data did. */
  source: 'override' | 'registry';
  /**
   * True when the registry charges more above a prompt-length threshold (e.g. long-context tiers).
   * The rates above are then the base tier; `cost()` still applies the right tier per call.
   */
  tiered: boolean;
  /** Where the registry's price came from: provider and model ids in its data. */
  registryMatch?: { provider: string; model: string };
};

/** A user's own rates for a model. They win over the registry. */
export type ModelPriceOverride = {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Defaults to `inputPerMillion` (no discount assumed). */
  cachedInputPerMillion?: number;
};

/** What one call cost, and whether that number rests on a known price. */
export type CostEstimate = {
  /** Total dollars; 0 when the price is unknown. */
  dollars: number;
  /** Dollars for input tokens, cached ones included (at their cached rate). */
  inputDollars: number;
  outputDollars: number;
  /** False when no override or registry entry matched the model: `dollars` is then 0, not a guess. */
  priceKnown: boolean;
  source: 'override' | 'registry' | 'unknown';
};
