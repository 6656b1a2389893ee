import type { Embedder } from '../embedder/embedder';
import type { TokenomicsRequest } from '../request/request';
import type { CacheEntryStore, VectorIndex } from '../store/types';
import type { TraceStep } from '../trace/trace';
import type { CachedResponse } from './cached-response';
import type { CheckGuardsOptions } from './guards/check-guards';

export type SemanticCacheOptions = {
  /** Where entries live. Default: in-memory. */
  store?: CacheEntryStore;
  /** Where semantic vectors live. Default: in-memory exact search. */
  vectorIndex?: VectorIndex;
  /** Needed for semantic lookup; without one the cache is exact-only. */
  embedder?: Embedder;
  /** Turn semantic lookup off (exact only). Default: on when an embedder is given. */
  semantic?: boolean;
  /** Minimum cosine similarity of the queries for a semantic candidate. Default: 0.8 with a verifier, 0.96 without. */
  threshold?: number;
  /** Minimum cosine similarity of the conversation contexts (follow-ups). Default: 0.99. */
  contextThreshold?: number;
  /** Nearest neighbours examined per semantic lookup. Default: 5. */
  candidates?: number;
  /** Lexical guards (numbers, entities, negation, order). Default: on; `{ skip }` turns some off. */
  guards?: boolean | CheckGuardsOptions;
  /** Learned pair verifier; default: the shipped ONNX model when onnxruntime-node is installed. */
  verifier?: PairVerifier | false;
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
      trace: TraceStep /** Pass back to `store` to reuse the embedding. */;
      pending?: PendingStore;
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

/** What `lookup` learned that `store` can reuse (the key and the embeddings). */
export type PendingStore = {
  key: string;
  partition: string;
  vectors?: { query: Float32Array; context?: Float32Array };
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
