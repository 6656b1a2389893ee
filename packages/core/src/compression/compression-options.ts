import type { Embedder } from '../embedder/embedder';
import type { TokenPruner } from './token-classifier/token-pruner';
import type { TokenCounter } from './token-count';

export type CompressionMethod = 'lossless' | 'select' | 'prune';

/** Options shared by `compressText` and `compressRequest`. */
export type CompressionOptions = {
  /**
   * Share of the tokens to keep, above 0 and at most 1: `1 / 3` asks for about 3× fewer tokens in
   * the whole output (text, or request). Without `rate` or `targetTokens` only the lossless pass
   * runs.
   */
  rate?: number;
  /** Token budget for the whole output (text, or the whole request); wins over `rate`. */
  targetTokens?: number;
  /** Which passes run, in pipeline order. Default: lossless, select, and prune when `pruner` is set. */
  methods?: CompressionMethod[];
  /** What the selection ranks against. Default: the last user message (requests) or none (text). */
  question?: string;
  /** Prompts shorter than this (tokens) are returned unchanged. Default 500. */
  minTokens?: number;
  /** Adds embedding similarity to BM25 in the relevance score when given. */
  embedder?: Embedder;
  /** Relative weights of the two relevance signals. Default 1 and 1 (embedding only with an embedder). */
  weights?: { bm25?: number; embedding?: number };
  /**
   * JSON values in the text: 'keep' (default) keeps each one whole (minified by the lossless
   * pass); 'select-entries' ranks their top-level entries like sentences and keeps the best, so
   * the JSON stays valid with fewer entries.
   */
  json?: 'keep' | 'select-entries';
  /** Sentences matching any of these are always kept. Default: final-answer lines of examples. */
  keepPatterns?: readonly RegExp[];
  /** Token-level pruner (e.g. an LLMLingua-2 classifier) used by the 'prune' method. */
  pruner?: TokenPruner;
  /** Share of the selected tokens the pruner keeps. Default 0.7. */
  pruneRate?: number;
  /** Token counter; default cl100k_base through js-tiktoken. */
  countTokens?: TokenCounter;
};

export type CompressionShortfall = {
  targetTokens: number;
  reason: 'protected-content' | 'whole-units' | 'message-floor' | 'kept-last-turns';
};

/** Tokens before and after, and what ran: returned by every compression call. */
export type CompressionStats = {
  tokensBefore: number;
  tokensAfter: number;
  /** tokensBefore / tokensAfter (1 when nothing changed). */
  ratio: number;
  /** Passes that ran, or empty when the call was a no-op. */
  methods: CompressionMethod[];
  /** Why nothing changed, when nothing did. */
  skipped?: 'short' | 'nothing-compressible';
  /**
   * Set when a target (`rate` or `targetTokens`) was asked for and the output is above it: the
   * target, and why it was not reached — the protected content alone is over it, whole units
   * (code, demonstrations) did not fit, or every message keeps at least one unit (long chats:
   * set `keepLastTurns` to drop whole old turns instead).
   */
  shortfall?: CompressionShortfall;
  durationMs: number;
};
