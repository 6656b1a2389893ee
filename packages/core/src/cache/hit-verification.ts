import type { Embedder } from '../embedder/embedder';
import { cosineSimilarity } from '../embedder/vector-math';
import type { CostLedger } from '../ledger/cost-ledger';
import type { TokenomicsRequest } from '../request/request';
import { canonicalJson } from '../util/canonical-json';
import { type CachedResponse, responseText } from './cached-response';
import { ErrorRateController, type ThresholdEstimate } from './error-rate-controller';
import { sameWording } from './same-wording';

/**
 * How a cached answer is compared with a fresh one: `'text'` (the same text after folding case,
 * spacing and end punctuation, and the same tool calls: strict, so the error rate is never
 * underestimated), `'embedding'` (the two answers' embeddings at cosine ≥ `answerSimilarity`), or
 * your own judge.
 */
export type AnswerEquivalence =
  | 'text'
  | 'embedding'
  | ((
      cached: CachedResponse,
      fresh: CachedResponse,
      request: TokenomicsRequest,
    ) => boolean | Promise<boolean>);

export type VerificationOptions = {
  /** Confidence of the error-rate bound. Default 0.95. */
  confidence?: number;
  /**
   * Share of servable candidates still verified (the model is called and its answer returned), so
   * the estimate keeps learning as traffic changes. Default 0.05.
   */
  exploreRate?: number;
  /** Default `'text'`. */
  equivalence?: AnswerEquivalence;
  /** Minimum cosine of the two answers for `equivalence: 'embedding'`. Default 0.9. */
  answerSimilarity?: number;
  /** Records each verification call (stage `cache`, nothing saved) so its cost shows. */
  ledger?: CostLedger;
  /** Random source in [0, 1), for tests. */
  random?: () => number;
};

/** A candidate hit sent to the model instead, carried from `lookup` to `store` in `PendingStore`. */
export type PendingVerification = {
  key: string;
  kind: 'exact' | 'semantic';
  /** The candidate's score: verifier probability, or 1 for the same wording or an exact key. */
  score: number;
  /** Whether the cache would have served it (shadow mode), or did not only because it explored. */
  wouldServe: boolean;
  response: CachedResponse;
};

/** What verification has seen so far. */
export type VerificationStats = {
  /** The configured `maxErrorRate`, when set. */
  targetErrorRate?: number;
  shadow: boolean;
  /** Candidates sent to the model and compared. */
  verificationCalls: number;
  /** Tokens those calls used (they are the answers the callers got). */
  verificationTokens: number;
  /** Verified candidates whose cached answer disagreed. */
  disagreements: number;
  /** Semantic candidates decided (served or verified). */
  candidates: number;
  /** Semantic hits served. */
  servedHits: number;
  /** Served hits among candidates decided (0 before the first). */
  hitRate: number;
  /** The current serving threshold (score) and the error estimate and bound above it; undefined while unproven. */
  threshold?: ThresholdEstimate;
  /** Estimated share of wrong answers among what is served (observations above the threshold). */
  estimatedErrorRate?: number;
  errorRateBound?: number;
  /** Shadow mode and exploration: verified candidates the cache would have served, and how many were wrong. */
  wouldHaveServed: { exact: number; semantic: number; wrong: number };
};

/**
 * The serving decision for candidate hits when a `maxErrorRate` or shadow mode is set, and the
 * bookkeeping of verifications. Without either, the cache serves by its fixed thresholds and this
 * class is not used.
 */
export class HitVerification {
  readonly shadow: boolean;
  private readonly controller: ErrorRateController | undefined;
  private readonly exploreRate: number;
  private readonly equivalence: AnswerEquivalence;
  private readonly answerSimilarity: number;
  private readonly ledger: CostLedger | undefined;
  private readonly random: () => number;
  /** Entries whose answer disagreed with a fresh one: never served by similarity again. */
  private readonly disputed = new Set<string>();
  private readonly counts = {
    verificationCalls: 0,
    verificationTokens: 0,
    disagreements: 0,
    candidates: 0,
    servedHits: 0,
    wouldHaveServed: { exact: 0, semantic: 0, wrong: 0 },
  };

  constructor(options: { maxErrorRate?: number; shadow?: boolean; verification?: VerificationOptions }) {
    const settings = options.verification ?? {};
    this.shadow = options.shadow ?? false;
    this.controller =
      options.maxErrorRate === undefined
        ? undefined
        : new ErrorRateController({ target: options.maxErrorRate, confidence: settings.confidence });
    const exploreRate = settings.exploreRate ?? 0.05;
    if (!(exploreRate >= 0 && exploreRate <= 1))
      throw new RangeError(`exploreRate must be in [0, 1], got ${exploreRate}`);
    this.exploreRate = exploreRate;
    this.equivalence = settings.equivalence ?? 'text';
    this.answerSimilarity = settings.answerSimilarity ?? 0.9;
    this.ledger = settings.ledger;
    this.random = settings.random ?? Math.random;
  }

  /**
   * Whether to serve the best (undisputed) candidate or send it to the model for verification.
   * `passesFixed` is the fixed-threshold decision, used when no error rate is set (shadow mode alone).
   */
  decide(candidate: { score: number; passesFixed: boolean }): 'serve' | 'verify' {
    this.counts.candidates++;
    if (!this.wouldServe(candidate.score, candidate.passesFixed) || this.shadow) return 'verify';
    if (this.exploreRate > 0 && this.random() < this.exploreRate) return 'verify';
    this.counts.servedHits++;
    return 'serve';
  }

  /** Whether this candidate would be served (for the pending verification's record). */
  wouldServe(score: number, passesFixed: boolean): boolean {
    return this.controller ? this.controller.canServe(score) : passesFixed;
  }

  isDisputed(key: string): boolean {
    return this.disputed.has(key);
  }

  /** Compares the cached answer with the fresh one and learns from it. Never throws. */
  async record(
    request: TokenomicsRequest,
    fresh: CachedResponse,
    pending: PendingVerification,
    embedder: Embedder | undefined,
  ): Promise<{ agreed: boolean } | { error: string }> {
    let agreed: boolean;
    try {
      agreed = await this.agree(pending.response, fresh, request, embedder);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    this.counts.verificationCalls++;
    this.counts.verificationTokens += (fresh.usage.inputTokens ?? 0) + (fresh.usage.outputTokens ?? 0);
    if (!agreed) {
      this.counts.disagreements++;
      this.disputed.add(pending.key);
    }
    if (pending.wouldServe) {
      this.counts.wouldHaveServed[pending.kind]++;
      if (!agreed) this.counts.wouldHaveServed.wrong++;
    }
    if (pending.kind === 'semantic') this.controller?.record(pending.score, agreed);
    try {
      this.ledger?.record({
        traceId: `cache-verification:${pending.key.slice(0, 12)}`,
        model: request.model,
        stage: 'cache',
        spent: fresh.usage,
        baseline: fresh.usage,
        scope: request.scope,
      });
    } catch {
      // A ledger that refuses an entry must not turn a verified answer into an error.
    }
    return { agreed };
  }

  stats(): VerificationStats {
    const threshold = this.controller?.threshold();
    return {
      ...(this.controller ? { targetErrorRate: this.controller.target } : {}),
      shadow: this.shadow,
      ...structuredClone(this.counts),
      hitRate: this.counts.candidates === 0 ? 0 : this.counts.servedHits / this.counts.candidates,
      ...(threshold
        ? { threshold, estimatedErrorRate: threshold.errorRate, errorRateBound: threshold.errorRateBound }
        : {}),
    };
  }

  private async agree(
    cached: CachedResponse,
    fresh: CachedResponse,
    request: TokenomicsRequest,
    embedder: Embedder | undefined,
  ): Promise<boolean> {
    if (typeof this.equivalence === 'function')
      return Boolean(await this.equivalence(cached, fresh, request));
    if (canonicalJson(toolCalls(cached)) !== canonicalJson(toolCalls(fresh))) return false;
    const left = responseText(cached);
    const right = responseText(fresh);
    if (sameWording(left, right)) return true;
    if (this.equivalence === 'text' || !embedder) return false;
    const [a, b] = await embedder.embed([left, right]);
    if (!a || !b) return false;
    return cosineSimilarity(a, b) >= this.answerSimilarity;
  }
}

function toolCalls(response: CachedResponse): unknown[] {
  return response.content.flatMap((part) =>
    part.type === 'tool-call' ? [{ name: part.toolName, input: part.input }] : [],
  );
}
