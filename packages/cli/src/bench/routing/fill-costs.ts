import { getTokenCounter } from '@tokenomics/core';
import type { ModelPrice, RoutingDataset } from './replay-record';

export type FillCostOptions = {
  /** Prices that override the dataset's (dollars per million tokens). */
  prices?: Record<string, ModelPrice>;
  /** Output tokens assumed when a model's response is not recorded (default 0: only the prompt is priced). */
  assumedOutputTokens?: number;
};

/**
 * Gives every outcome a dollar cost: a recorded cost is kept; otherwise input tokens (counted from
 * the prompt when missing) and output tokens (counted from the response, or assumed) are priced.
 * Tokens are counted with the cl100k encoding for every model: the datasets' models use several
 * tokenizers, and one shared count keeps cost ratios comparable. Returns notes on what was assumed.
 */
export async function fillCosts(dataset: RoutingDataset, options: FillCostOptions = {}): Promise<string[]> {
  const prices = { ...dataset.prices, ...options.prices };
  const counter = await getTokenCounter();
  const promptTokens = new Map<string, number>();
  const unpriced = new Set<string>();
  let assumedOutputs = 0;
  for (const record of dataset.records) {
    for (const [model, outcome] of Object.entries(record.models)) {
      if (outcome.cost !== undefined && Number.isFinite(outcome.cost)) continue;
      if (outcome.inputTokens === undefined) {
        let tokens = promptTokens.get(record.id);
        if (tokens === undefined) {
          tokens = counter.count(record.prompt);
          promptTokens.set(record.id, tokens);
        }
        outcome.inputTokens = tokens;
      }
      if (outcome.outputTokens === undefined) {
        if (outcome.response !== undefined) outcome.outputTokens = counter.count(outcome.response);
        else {
          outcome.outputTokens = options.assumedOutputTokens ?? 0;
          assumedOutputs++;
        }
      }
      const price = prices[model];
      if (!price) {
        unpriced.add(model);
        outcome.cost = 0;
        continue;
      }
      outcome.cost =
        (outcome.inputTokens * price.inputPerMillion + outcome.outputTokens * price.outputPerMillion) / 1e6;
    }
  }
  const notes: string[] = [];
  if (assumedOutputs > 0) {
    notes.push(
      `${assumedOutputs} outcomes have no response: output tokens assumed ${options.assumedOutputTokens ?? 0} (--output-tokens)`,
    );
  }
  if (unpriced.size > 0) notes.push(`no price for ${[...unpriced].join(', ')}: costed at $0 (pass --prices)`);
  return notes;
}
