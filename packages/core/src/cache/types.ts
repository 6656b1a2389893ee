import type { Embedder } from '../embedder/embedder';
import type { TokenomicsRequest } from '../request/request';
import type { CacheEntryStore, VectorIndex } from '../store/types';
import type { TraceStep } from '../trace/trace';
import type { CachedResponse } from './cached-response';
import type { CheckGuardsOptions } from './guards/check-guards';
import type { PendingVerification, VerificationOptions } from './hit-verification';

export type SemanticCacheOptions = {
  /** Where entries live. Default: in-memory. */
  store?: CacheEntryStore;
  /** Where semantic vectors live. Default: in-memory exact search. */
  vectorIndex?: VectorIndex;
  /** Needed for semantic lookup; without one the cache is exact-only. */
  embedder?: Embedder;
  /** Turn semantic lookup off (exact only). Default: on when an embedder is given. */
  semantic?: boolean;
  /**
   * Minimum cosine similarity of the questions for a semantic candidate. Default:
   * `DEFAULT_SIMILARITY_THRESHOLD` with the verifier, `DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER` without.
   */
  threshold?: number;
  /** Nearest neighbours examined per semantic lookup. Default: 5. */
  candidates?: number;
  /** Lexical guards (numbers, entities, negation, order). Default: on; `{ skip }` turns some off. */
  guards?: boolean | CheckGuardsOptions;
  /** Learned pair verifier; default: the shipped ONNX model when onnxruntime-node is installed. */
  verifier?: PairVerifier | false;
  /**
   * Keep the share of wrong semantic hits under this rate (e.g. 0.01). The cache then learns online
   * where a candidate may be served: it sends candidates to the model (the fresh answer is what the
   * caller gets), compares the cached answer with the fresh one, and serves only where the
   * estimated error rate's upper confidence bound is within the target. Until enough candidates
   * have been verified it serves no semantic hit. See `verificationStats()`.
   */
  maxErrorRate?: number;
  /**
   * Shadow mode: every lookup decides, but nothing is served: each hit the cache would have served
   * (exact or semantic) goes to the model and is compared, so `verificationStats()` reports what it
   * would have served and how often that would have been wrong, on your own traffic.
   */
  shadow?: boolean;
  /** How verification compares answers, explores and records its calls. */
  verification?: VerificationOptions;
  /** Default time to live for new entries, in milliseconds. Default: none. */
  ttlMs?: number;
  /** Cache answers to calls with temperature > 0. Default: false (bypass). */
  cacheNonDeterministic?: boolean;
  /** Must return true before an answer is stored. */
  validate?: (response: CachedResponse, request: TokenomicsRequest) => boolean | Promise<boolean>;
  /** Called with warnings (store errors, corrupted entries); default: console.warn. */
  onWarning?: (warning: CacheWarning) => void;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * Near-match context (opt-in): on a miss, the closest stored question of the same scope, model,
   * settings and conversation whose similarity reaches `minSimilarity` is returned with the miss
   * (`nearMatch`), so an adapter can pass the earlier question and answer to the model as context.
   * It is never served as the answer. See docs/cache.md for when not to use it.
   */
  nearMatch?: { minSimilarity: number };
};

/** A stored question close to a missed one, and its answer: context for the model, never an answer. */
export type NearMatch = {
  /** The stored question (its semantic text). */
  query: string;
  response: CachedResponse;
  similarity: number;
};

export type CacheWarning = { code: string; message: string; cause?: unknown };

/** Decides whether a stored question's answer also answers a new question. */
export interface PairVerifier {
  readonly id: string;
  /** Probability in [0, 1] that `stored` and `query` ask the same thing. */
  score(pairs: Array<{ stored: string; query: string; similarity: number }>): Promise<number[]>;
  /** Minimum probability for a hit. */
  readonly threshold: number;
}

export type CacheLookup =
  | {
      status: 'hit';
      kind: 'exact' | 'semantic';
      key: string;
      response: CachedResponse;
      similarity?: number;
      trace: TraceStep;
    }
  | {
      status: 'miss';
      trace: TraceStep;
      /**
       * Pass back to `store` with the model's answer: it reuses the key and the embedding, and
       * completes a verification (`pending.verification`) when the miss was a candidate sent to the model.
       */
      pending?: PendingStore;
      /** With the `nearMatch` option: the closest stored question that was not served. */
      nearMatch?: NearMatch;
    }
  | { status: 'bypass'; reason: string; trace: TraceStep };

export type LookupOptions = {
  signal?: AbortSignal;
  /**
   * `exactKey(request)`, when the caller already has it (an adapter that memoizes it for
   * repeated prompts); the engine then skips hashing. It must be the key of this very request.
   */
  exactKey?: string;
};

/** What `lookup` learned that `store` can reuse (the key and the embedding) or must complete (a verification). */
export type PendingStore = {
  key: string;
  partition: string;
  vectors?: { query: Float32Array };
  /** A candidate hit that was sent to the model instead; `store` compares the answers. */
  verification?: PendingVerification;
};

export type StoreOptions = {
  ttlMs?: number;
  /** An aborted call's answer is never stored. */
  signal?: AbortSignal;
  tags?: string[];
  pending?: PendingStore;
};

export type StoreOutcome =
  | { stored: true; key: string; trace: TraceStep }
  | { stored: false; reason: string; trace: TraceStep };

export type Invalidation = { tags?: string[]; scope?: TokenomicsRequest['scope']; keys?: string[] };

/**
 * The cache engine. `lookup` never throws: a broken store or embedder is a miss with a
 * warning and a trace step. `store` refuses answers that must not be cached.
 */
export interface CacheEngine {
  lookup(request: TokenomicsRequest, options?: LookupOptions): Promise<CacheLookup>;
  store(request: TokenomicsRequest, response: CachedResponse, options?: StoreOptions): Promise<StoreOutcome>;
  invalidate(what: Invalidation): Promise<number>;
  close(): Promise<void>;
}
