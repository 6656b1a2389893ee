import type { AnswerBook } from '../stand-in';

/**
 * Which model answers misses: the offline stand-in (no API key) or the real OpenAI model.
 * `pricedAs` is the provider-qualified id the ledger prices calls with.
 */
export type ModelChoice =
  | { offline: true; book: AnswerBook; pricedAs: string }
  | { offline: false; modelName: string; pricedAs: string };
