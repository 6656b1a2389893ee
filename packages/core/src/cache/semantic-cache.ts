import type { Embedder } from '../embedder/embedder';
import { exactKey, scopeKey, semanticPartitionKey } from '../request/keys';
import type { Scope, TokenomicsRequest } from '../request/request';
import { type SemanticText, semanticText } from '../request/semantic-text';
import { MemoryCacheStore } from '../store/memory-cache-store';
import { MemoryVectorIndex } from '../store/memory-vector-index';
import type { CacheEntryRecord, CacheEntryStore, VectorIndex } from '../store/types';
import type { TraceStep } from '../trace/trace';
import { sha256Hex } from '../util/hash';
import { cloneJson, deepFreeze } from '../util/json-value';
import { LruMap } from '../util/lru-map';
import {
  type CacheEntryPayload,
  decodeCacheEntry,
  encodeCacheEntry,
  STORABLE_FINISH_REASONS,
} from './cache-entry-codec';
import type { CachedResponse } from './cached-response';
import { CacheStoreError } from './errors';
import { type CheckGuardsOptions, checkGuards } from './guards/check-guards';
import { HitVerification, type VerificationStats } from './hit-verification';
import { sameWording } from './same-wording';
import type {
  CacheEngine,
  CacheLookup,
  CacheWarning,
  Invalidation,
  LookupOptions,
  PairVerifier,
  PendingStore,
  SemanticCacheOptions,
  StoreOptions,
  StoreOutcome,
} from './types';
import { loadPairVerifier } from './verifier/load-pair-verifier';

/**
 * Minimum cosine similarity of two questions for a semantic candidate when the verifier checks the
 * candidates: the floor the shipped verifier was tuned with on real Quora pairs (its
 * `recommended.similarityThreshold`; a test keeps the two equal). Chosen on the validation split for
 * precision over recall: on the held-out test split the cache's rule serves few paraphrases but
 * keeps precision above 0.95 (models/cache-verifier/MODEL_CARD.md). For more hits on your own traffic
 * with a bound on wrong ones, set `maxErrorRate`.
 */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.96;
/**
 * The floor without a verifier (`verifier: false`, or the shipped one cannot load). On real Quora
 * pairs, cosine + guards stay below 0.95 precision even at 0.98, so only near-identical wording passes.
 */
export const DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER = 0.99;
/**
 * The floor when `maxErrorRate` or `shadow` is set: wide, because there the learned bound, not a
 * fixed threshold, decides what is served.
 */
export const DEFAULT_VERIFYING_SIMILARITY_THRESHOLD = 0.7;
/** Lowest similarity at which a question worded exactly like the stored one (case and punctuation aside) still hits. */
export const SAME_WORDING_FLOOR = 0.8;
/** Nearest neighbours examined per semantic lookup. */
export const DEFAULT_CANDIDATES = 5;
/** How often expired entries are swept out of the store (they are never served in between). */
export const EXPIRED_PURGE_INTERVAL_MS = 60_000;

/**
 * Decoded payloads kept per engine, so an entry hit again and again is parsed and validated
 * once. Each is checked against the stored payload text on every read, so it can never serve
 * anything but what the store holds now.
 */
export const DECODED_ENTRY_MEMO_SIZE = 10_000;

/** Entries carry these tags so invalidating `{ tenant }` reaches every user and namespace under it. */
const SCOPE_TAG_PREFIX = '\u0000scope:';

type Candidate = {
  key: string;
  similarity: number;
  payload: CacheEntryPayload;
  response: CachedResponse;
};

type ScoredCandidate = Candidate & { score: number; passesFixed: boolean };

type ReadEntry = { record: CacheEntryRecord; payload: CacheEntryPayload; response: CachedResponse };

/** A decoded payload and the exact stored text it came from. */
type DecodedEntry = { payloadText: string; createdAt: number; payload: CacheEntryPayload };

type SemanticProbe = {
  text: SemanticText;
  /** `semanticPartitionKey`: what an entry records and a candidate's entry must match. */
  entryPartition: string;
  /** The vector partition: the entry partition and the embedder. */
  partition: string;
  vectors?: { query: Float32Array };
};

/**
 * The cache engine: exact lookup by request key, then semantic lookup among requests with the
 * same scope, model, settings, system prompt and tools, gated by similarity, context, lexical
 * guards and an optional learned verifier. Lookups never throw: a failing store, index or
 * embedder is a miss with a warning (fail-open); a failing guard or verifier is a miss too
 * (fail-closed), so an error can cost a model call but never serve a wrong answer.
 */
export class SemanticCache implements CacheEngine {
  private readonly entries: CacheEntryStore;
  private readonly vectorIndex: VectorIndex;
  private readonly embedder: Embedder | undefined;
  private readonly semanticEnabled: boolean;
  private readonly thresholdOption: number | undefined;
  private readonly verification: HitVerification | undefined;
  private readonly candidates: number;
  private readonly guardOptions: CheckGuardsOptions | undefined;
  private readonly verifierChoice: PairVerifier | 'shipped' | undefined;
  private shippedVerifier: Promise<PairVerifier | undefined> | undefined;
  private readonly ttlMs: number | undefined;
  private readonly cacheNonDeterministic: boolean;
  private readonly validate: SemanticCacheOptions['validate'];
  private readonly warn: (warning: CacheWarning) => void;
  private readonly now: () => number;
  private readonly nearMatchFrom: number | undefined;
  private lastPurge: number;
  private readonly decoded = new LruMap<string, DecodedEntry>(DECODED_ENTRY_MEMO_SIZE);

  constructor(options: SemanticCacheOptions = {}) {
    this.entries = options.store ?? new MemoryCacheStore();
    this.vectorIndex = options.vectorIndex ?? new MemoryVectorIndex();
    this.embedder = options.embedder;
    this.semanticEnabled = options.embedder !== undefined && options.semantic !== false;
    this.thresholdOption = options.threshold;
    this.verification =
      options.maxErrorRate !== undefined || options.shadow
        ? new HitVerification({
            maxErrorRate: options.maxErrorRate,
            shadow: options.shadow,
            verification: options.verification,
          })
        : undefined;
    this.candidates = Math.max(1, Math.floor(options.candidates ?? DEFAULT_CANDIDATES));
    this.guardOptions =
      options.guards === false
        ? undefined
        : options.guards === true || options.guards === undefined
          ? {}
          : options.guards;
    this.verifierChoice = options.verifier === false ? undefined : (options.verifier ?? 'shipped');
    this.ttlMs = options.ttlMs;
    this.cacheNonDeterministic = options.cacheNonDeterministic ?? false;
    this.validate = options.validate;
    this.warn =
      options.onWarning ??
      ((warning) => console.warn(`[tokenomics cache] ${warning.code}: ${warning.message}`));
    this.now = options.now ?? Date.now;
    this.nearMatchFrom = options.nearMatch?.minSimilarity;
    this.lastPurge = this.now();
  }

  async lookup(request: TokenomicsRequest, options: LookupOptions = {}): Promise<CacheLookup> {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const nonDeterministic = this.nonDeterministicReason(request);
    if (nonDeterministic) {
      return {
        status: 'bypass',
        reason: nonDeterministic,
        trace: step('bypass', nonDeterministic, {}, started),
      };
    }
    let key: string;
    try {
      key = options.exactKey ?? exactKey(request);
    } catch (error) {
      // A request the key cannot describe (e.g. a circular value) is simply not cached.
      const reason = `request cannot be keyed: ${describe(error)}`;
      return { status: 'bypass', reason, trace: step('bypass', reason, {}, started) };
    }
    const pending: PendingStore = { key, partition: '' };
    const details: Record<string, unknown> = { key: key.slice(0, 12) };
    try {
      const now = this.now();
      // In-memory stores answer synchronously: a hit then costs no await on the store. Anything
      // else (a miss, an entry to delete) goes through the ordinary read, which a miss can afford.
      const exact = this.readEntrySync(key, now) ?? (await this.readEntry(key, now));
      timings.exactMs = elapsed(started);
      if (exact && this.verification?.shadow) {
        pending.verification = { key, kind: 'exact', score: 1, wouldServe: true, response: exact.response };
        return miss(
          pending,
          step(
            'verify',
            'shadow mode: exact hit sent to the model',
            { ...details, kind: 'exact', timings },
            started,
          ),
        );
      }
      if (exact) {
        if (this.entries.touchSync) this.entries.touchSync(key, now);
        else await this.entries.touch(key, now);
        return {
          status: 'hit',
          kind: 'exact',
          key,
          // The decoded entry is shared and frozen; every caller gets its own copy.
          response: cloneJson(exact.response),
          trace: step('hit', 'exact key', { ...details, kind: 'exact', timings }, started),
        };
      }
      if (options.signal?.aborted)
        return miss(pending, step('miss', 'aborted', { ...details, timings }, started));
      const probe = this.probeFor(request);
      if (typeof probe === 'string') {
        details.semantic = 'skipped';
        return miss(pending, step('miss', probe, { ...details, timings }, started));
      }
      pending.partition = probe.partition;
      const embedStarted = performance.now();
      probe.vectors = await this.embedProbe(probe.text);
      pending.vectors = probe.vectors;
      timings.embedMs = elapsed(embedStarted);
      const found = await this.semanticLookup(probe, pending, details, timings, started);
      return await this.withNearMatch(found, probe);
    } catch (error) {
      this.warn({
        code: 'lookup-failed',
        message: `cache lookup failed, calling the model: ${describe(error)}`,
        cause: error,
      });
      return miss(pending, step('error', describe(error), { ...details, timings }, started));
    }
  }

  async store(
    request: TokenomicsRequest,
    response: CachedResponse,
    options: StoreOptions = {},
  ): Promise<StoreOutcome> {
    const started = performance.now();
    const refuse = (reason: string, details: Record<string, unknown> = {}): StoreOutcome => ({
      stored: false,
      reason,
      trace: { stage: 'cache', decision: 'skip-store', reason, details, durationMs: elapsed(started) },
    });
    try {
      if (options.signal?.aborted) return refuse('the call was aborted');
      const verified = await this.recordVerification(request, response, options.pending);
      const nonDeterministic = this.nonDeterministicReason(request);
      if (nonDeterministic) return refuse(nonDeterministic);
      if (!STORABLE_FINISH_REASONS.has(response.finishReason))
        return refuse(`finish reason '${response.finishReason}' is not cached`);
      if (!hasAnswer(response)) return refuse('the answer is empty');
      if (this.validate) {
        let valid: boolean;
        try {
          valid = await this.validate(response, request);
        } catch (error) {
          return refuse(`the validator threw: ${describe(error)}`);
        }
        if (!valid) return refuse('the validator rejected the answer');
      }
      const key = exactKey(request);
      const now = this.now();
      const probe = this.probeFor(request);
      let semantic: CacheEntryPayload['semantic'];
      let vectors: SemanticProbe['vectors'];
      let partitionForVectors: string | undefined;
      if (typeof probe !== 'string') {
        partitionForVectors = probe.partition;
        vectors =
          options.pending?.key === key && options.pending.partition === probe.partition
            ? options.pending.vectors
            : undefined;
        if (!vectors) {
          try {
            vectors = await this.embedProbe(probe.text);
          } catch (error) {
            // The exact entry is still worth keeping; only semantic matching is lost.
            this.warn({
              code: 'embed-failed',
              message: `storing without a vector: ${describe(error)}`,
              cause: error,
            });
          }
        }
        semantic = { query: probe.text.query, context: probe.text.context };
      }
      const ttlMs = options.ttlMs ?? this.ttlMs;
      // Serialized at once: a caller's later mutation of its response cannot reach the cache.
      const payload = encodeCacheEntry({ response, semantic });
      const record: CacheEntryRecord = {
        key,
        partition: typeof probe === 'string' ? semanticPartitionKey(request) : probe.entryPartition,
        scopeKey: scopeKey(request.scope),
        payload,
        tags: [...new Set([...(options.tags ?? []), ...scopeTags(request.scope)])],
        createdAt: now,
        expiresAt: ttlMs !== undefined && ttlMs > 0 ? now + ttlMs : undefined,
        size: Buffer.byteLength(payload),
      };
      this.decoded.delete(key);
      const evicted = (await this.entries.set(record)) ?? [];
      for (const gone of evicted) this.decoded.delete(gone);
      let vectorError: string | undefined;
      if (vectors && partitionForVectors) {
        try {
          await this.vectorIndex.add(partitionForVectors, key, vectors.query);
        } catch (error) {
          vectorError = describe(error);
          this.warn({
            code: 'vector-index-failed',
            message: `stored without a vector: ${vectorError}`,
            cause: error,
          });
        }
      }
      if (evicted.length > 0) await this.vectorIndex.delete(evicted);
      await this.purgeExpiredNowAndThen(now);
      return {
        stored: true,
        key,
        trace: {
          stage: 'cache',
          decision: 'store',
          details: {
            key: key.slice(0, 12),
            semantic: vectors !== undefined && vectorError === undefined,
            ...(vectorError ? { vectorError } : {}),
            ttlMs,
            evicted: evicted.length,
            ...(verified ? { verified } : {}),
          },
          durationMs: elapsed(started),
        },
      };
    } catch (error) {
      this.warn({ code: 'store-failed', message: `cache store failed: ${describe(error)}`, cause: error });
      return refuse(`the store failed: ${describe(error)}`);
    }
  }

  /**
   * Deletes every entry that matches any of the given tags, keys or the scope. A scope matches
   * every entry whose scope has the same values for the fields given: `{ tenant: 'a' }` reaches
   * all users and namespaces of tenant a. Returns how many entries were deleted.
   */
  async invalidate(what: Invalidation): Promise<number> {
    try {
      const keys = new Set<string>(what.keys ?? []);
      for (const tag of what.tags ?? []) for (const key of await this.entries.keysByTag(tag)) keys.add(key);
      if (what.scope) for (const key of await this.keysInScope(what.scope)) keys.add(key);
      const existing: string[] = [];
      for (const key of keys) if (await this.entries.get(key)) existing.push(key);
      await this.deleteEverywhere([...keys]);
      return existing.length;
    } catch (error) {
      throw CacheStoreError.isInstance(error)
        ? error
        : new CacheStoreError(`invalidation failed: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Loads what the first semantic lookup would otherwise wait for: the embedder's model (one
   * embedding) and the shipped verifier. Optional; failures only produce the usual warnings.
   */
  async warmUp(): Promise<void> {
    if (!this.semanticEnabled || !this.embedder) return;
    await this.verifier();
    try {
      await this.embedder.embed(['warm up']);
    } catch (error) {
      this.warn({
        code: 'embed-failed',
        message: `embedder failed to warm up: ${describe(error)}`,
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.vectorIndex.close?.();
    await this.entries.close?.();
  }

  /**
   * Adds the closest stored question of the same partition (scope, model, settings, conversation)
   * to a plain miss, when the near-match option is on and it is close enough. Never throws: a
   * failure only leaves the context out.
   */
  private async withNearMatch(lookup: CacheLookup, probe: SemanticProbe): Promise<CacheLookup> {
    if (this.nearMatchFrom === undefined || lookup.status !== 'miss' || lookup.trace.decision !== 'miss')
      return lookup;
    try {
      const [best] = await this.vectorIndex.search(probe.partition, probe.vectors!.query, 1);
      if (!best || best.similarity < this.nearMatchFrom) return lookup;
      const entry = await this.readEntry(best.key, this.now());
      // The vector partition already holds one scope; the entry's own partition is checked again
      // so an answer can never become context in another scope.
      if (!entry || entry.record.partition !== probe.entryPartition || !entry.payload.semantic) return lookup;
      return {
        ...lookup,
        nearMatch: {
          query: entry.payload.semantic.query,
          response: cloneJson(entry.response),
          similarity: best.similarity,
        },
      };
    } catch (error) {
      this.warn({ code: 'near-match-failed', message: `near-match lookup failed: ${describe(error)}` });
      return lookup;
    }
  }

  private async semanticLookup(
    probe: SemanticProbe,
    pending: PendingStore,
    details: Record<string, unknown>,
    timings: Record<string, number>,
    started: number,
  ): Promise<CacheLookup> {
    const vectors = probe.vectors as { query: Float32Array };
    const searchStarted = performance.now();
    const matches = await this.vectorIndex.search(probe.partition, vectors.query, this.candidates);
    timings.searchMs = elapsed(searchStarted);
    const best = matches.reduce((top, match) => Math.max(top, match.similarity), Number.NEGATIVE_INFINITY);
    const verifier = matches.length > 0 ? await this.verifier() : undefined;
    const threshold =
      this.thresholdOption ??
      (this.verification
        ? DEFAULT_VERIFYING_SIMILARITY_THRESHOLD
        : verifier
          ? DEFAULT_SIMILARITY_THRESHOLD
          : DEFAULT_SIMILARITY_THRESHOLD_WITHOUT_VERIFIER);
    Object.assign(details, {
      kind: 'semantic',
      threshold,
      candidates: matches.length,
      bestSimilarity: Number.isFinite(best) ? round(best) : undefined,
    });
    // A question asked again in the same words (case, spacing, end punctuation aside) may embed a
    // little apart; such a candidate is read down to SAME_WORDING_FLOOR and kept if its words match.
    const aboveThreshold = matches.filter(
      (match) => match.similarity >= Math.min(threshold, SAME_WORDING_FLOOR),
    );
    if (aboveThreshold.length === 0) {
      return miss(
        pending,
        step(
          'miss',
          matches.length === 0 ? 'no candidates' : 'below threshold',
          { ...details, timings },
          started,
        ),
      );
    }
    const now = this.now();
    const partition = probe.entryPartition;
    const rejections: Array<Record<string, unknown>> = [];
    const survivors: Candidate[] = [];
    for (const match of aboveThreshold) {
      const entry = await this.readEntry(match.key, now);
      if (!entry || entry.record.partition !== partition || !entry.payload.semantic) {
        // A vector whose entry is gone (evicted by another process, expired) is dropped for good.
        if (!entry) await this.vectorIndex.delete([match.key]);
        const rejected = !entry
          ? 'entry gone'
          : entry.payload.semantic
            ? 'other partition'
            : 'no semantic text';
        rejections.push({ similarity: round(match.similarity), rejected });
        continue;
      }
      const stored = entry.payload.semantic;
      if (match.similarity < threshold && !sameWording(stored.query, probe.text.query)) {
        rejections.push({ similarity: round(match.similarity), rejected: 'below threshold' });
        continue;
      }
      const context = contextMatch(stored, probe.text);
      if (!context.pass) {
        rejections.push({ similarity: round(match.similarity), rejected: 'context', reason: context.reason });
        continue;
      }
      if (this.guardOptions) {
        const guard = checkGuards(stored, probe.text, this.guardOptions);
        if (!guard.pass) {
          rejections.push({
            similarity: round(match.similarity),
            rejected: `guard:${guard.failed}`,
            reason: guard.reason,
          });
          continue;
        }
      }
      survivors.push({
        key: match.key,
        similarity: match.similarity,
        payload: entry.payload,
        response: entry.response,
      });
    }
    const verifyStarted = performance.now();
    const scored = await this.scoreCandidates(survivors, probe.text, verifier);
    timings.verifyMs = elapsed(verifyStarted);
    if (!scored)
      return miss(pending, step('miss', 'verifier failed', { ...details, rejections, timings }, started));
    if (verifier)
      details.verifier = {
        id: verifier.id,
        threshold: verifier.threshold,
        scores: scored.map((c) => round(c.score)),
      };
    const decided = this.chooseWinner(scored, rejections, pending);
    if (decided.decision !== 'serve') {
      const reason =
        decided.decision === 'verify'
          ? 'candidate sent to the model to verify'
          : 'no candidate passed the checks';
      return miss(
        pending,
        step(
          decided.decision === 'verify' ? 'verify' : 'miss',
          reason,
          { ...details, rejections, timings, ...decided.details },
          started,
        ),
      );
    }
    const winner = decided.winner;
    await this.entries.touch(winner.key, now);
    return {
      status: 'hit',
      kind: 'semantic',
      key: winner.key,
      response: cloneJson(winner.response),
      similarity: winner.similarity,
      trace: step(
        'hit',
        'semantic match',
        {
          ...details,
          similarity: round(winner.similarity),
          storedQuery: winner.payload.semantic?.query.slice(0, 200),
          guards: this.guardOptions ? 'passed' : 'off',
          verifier: details.verifier ?? 'off',
          rejections,
          timings,
        },
        started,
      ),
    };
  }

  /**
   * Each candidate's score: 1 for the same wording (case, spacing and end punctuation aside: no
   * judging needed), else the verifier's probability, else (no verifier) its similarity.
   * Undefined when the verifier failed.
   */
  private async scoreCandidates(
    survivors: Candidate[],
    query: SemanticText,
    verifier: PairVerifier | undefined,
  ): Promise<ScoredCandidate[] | undefined> {
    const sameAsStored = survivors.map((candidate) =>
      sameWording(candidate.payload.semantic?.query ?? '', query.query),
    );
    const toVerify = survivors.filter((_, index) => !sameAsStored[index]);
    const scores = verifier && toVerify.length > 0 ? await this.verifySafely(verifier, toVerify, query) : [];
    if (!scores)
      return sameAsStored.some(Boolean)
        ? survivors
            .filter((_, index) => sameAsStored[index])
            .map((candidate) => ({ ...candidate, score: 1, passesFixed: true }))
        : undefined;
    let next = 0;
    return survivors.map((candidate, index) => {
      if (sameAsStored[index]) return { ...candidate, score: 1, passesFixed: true };
      if (!verifier) return { ...candidate, score: candidate.similarity, passesFixed: true };
      const score = scores[next++] ?? 0;
      return { ...candidate, score, passesFixed: score >= verifier.threshold };
    });
  }

  /**
   * The candidate to serve. With fixed thresholds: the most similar one that passed them. With a
   * `maxErrorRate` or in shadow mode: the best-scored one, served only where the learned bound
   * allows, else sent to the model to verify (recorded in `pending`).
   */
  private chooseWinner(
    scored: ScoredCandidate[],
    rejections: Array<Record<string, unknown>>,
    pending: PendingStore,
  ):
    | { decision: 'serve'; winner: ScoredCandidate }
    | { decision: 'verify' | 'miss'; details?: Record<string, unknown> } {
    if (!this.verification) {
      for (const candidate of scored) {
        if (!candidate.passesFixed)
          rejections.push({
            similarity: round(candidate.similarity),
            rejected: 'verifier',
            score: round(candidate.score),
          });
      }
      const winner = scored
        .filter((candidate) => candidate.passesFixed)
        .sort((left, right) => right.similarity - left.similarity)[0];
      return winner ? { decision: 'serve', winner } : { decision: 'miss' };
    }
    const verification = this.verification;
    const best = scored
      .filter((candidate) => !verification.isDisputed(candidate.key))
      .sort((left, right) => right.score - left.score)[0];
    if (!best)
      return { decision: 'miss', ...(scored.length > 0 ? { details: { disputed: scored.length } } : {}) };
    const decision = verification.decide(best);
    if (decision === 'serve') return { decision: 'serve', winner: best };
    const wouldServe = verification.wouldServe(best.score, best.passesFixed);
    pending.verification = {
      key: best.key,
      kind: 'semantic',
      score: best.score,
      wouldServe,
      response: best.response,
    };
    return {
      decision: 'verify',
      details: { candidateScore: round(best.score), wouldServe, shadow: verification.shadow },
    };
  }

  /**
   * A servable entry through the store's synchronous read, or undefined when the async read
   * must decide: no `getSync`, no entry, an entry to delete (expired, corrupted), or a store
   * that does not really answer synchronously (a proxy or wrapper may hand back a promise).
   */
  private readEntrySync(key: string, now: number): ReadEntry | undefined {
    if (!this.entries.getSync) return undefined;
    const record: unknown = this.entries.getSync(key);
    if (record instanceof Promise) {
      record.catch(() => {}); // the async read that follows reports any failure
      return undefined;
    }
    const checked = this.checkRecord(record as CacheEntryRecord | undefined, now);
    return typeof checked === 'object' ? checked : undefined;
  }

  /** Reads, checks expiry and decodes an entry; expired or corrupted entries are deleted. */
  private async readEntry(key: string, now: number): Promise<ReadEntry | undefined> {
    const checked = this.checkRecord(await this.entries.get(key), now);
    if (typeof checked === 'object') return checked;
    if (checked === 'absent') return undefined;
    if (checked !== 'expired') {
      this.warn({
        code: 'corrupted-entry',
        message: `deleted corrupted cache entry ${key.slice(0, 12)}: ${checked}`,
      });
    }
    await this.deleteEverywhere([key]);
    return undefined;
  }

  /**
   * A stored record as an entry to serve, or what is wrong with it: 'absent', 'expired' or why
   * its payload is corrupted. Decodes each payload once: the decoded (frozen) entry is reused
   * while the store holds the very same payload text.
   */
  private checkRecord(record: CacheEntryRecord | undefined, now: number): ReadEntry | string {
    if (!record) return 'absent';
    if (record.expiresAt !== undefined && record.expiresAt <= now) return 'expired';
    const memo = this.decoded.get(record.key);
    if (memo && memo.payloadText === record.payload && memo.createdAt === record.createdAt)
      return { record, payload: memo.payload, response: memo.payload.response };
    const decoded = decodeCacheEntry(record.payload);
    if (!decoded.ok) {
      this.decoded.delete(record.key);
      return decoded.reason;
    }
    const payload = deepFreeze(decoded.payload);
    this.decoded.set(record.key, { payloadText: record.payload, createdAt: record.createdAt, payload });
    return { record, payload, response: payload.response };
  }

  /** The semantic text and vector partition of a request, or why it takes the exact path only. */
  private probeFor(request: TokenomicsRequest): SemanticProbe | string {
    if (!this.semanticEnabled || !this.embedder) return 'semantic lookup off';
    const text = semanticText(request);
    if (!text.ok) return `semantic lookup skipped: ${text.reason}`;
    const entryPartition = semanticPartitionKey(request, text);
    // Vectors of different embedders live in different partitions: they are never compared.
    const partition = sha256Hex(`${entryPartition}|${this.embedder.id}`);
    return { text: text.text, entryPartition, partition };
  }

  /**
   * One embedding per request: the question. (What surrounds it is compared by digest in the
   * partition, never by meaning.)
   */
  private async embedProbe(text: SemanticText): Promise<{ query: Float32Array }> {
    const embedder = this.embedder as Embedder;
    const vectors = await embedder.embed([text.query]);
    const query = vectors[0];
    if (!query || vectors.length !== 1)
      throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for 1 text`);
    return { query };
  }

  /** What verification has seen: calls, disagreements, the learned threshold and error bound. */
  verificationStats(): VerificationStats | undefined {
    return this.verification?.stats();
  }

  /** Compares a verified candidate's cached answer with the model's fresh one (never throws). */
  private async recordVerification(
    request: TokenomicsRequest,
    response: CachedResponse,
    pending: PendingStore | undefined,
  ): Promise<{ agreed: boolean } | undefined> {
    if (!pending?.verification || !this.verification) return undefined;
    // A cut-off or failed answer says nothing about whether the cached one was right.
    if (!STORABLE_FINISH_REASONS.has(response.finishReason)) return undefined;
    const outcome = await this.verification.record(request, response, pending.verification, this.embedder);
    if ('error' in outcome) {
      this.warn({ code: 'verification-failed', message: `answer comparison failed: ${outcome.error}` });
      return undefined;
    }
    return outcome;
  }

  /**
   * The verifier to ask: the caller's, or the one shipped with the package, loaded on first
   * need. When the shipped one cannot load, the cache says so once and runs on guards alone.
   */
  private verifier(): Promise<PairVerifier | undefined> {
    if (this.verifierChoice !== 'shipped') return Promise.resolve(this.verifierChoice);
    this.shippedVerifier ??= loadPairVerifier().catch((error: unknown) => {
      this.warn({
        code: 'verifier-unavailable',
        message: `running without the learned verifier: ${describe(error)}`,
        cause: error,
      });
      return undefined;
    });
    return this.shippedVerifier;
  }

  private async verifySafely(
    verifier: PairVerifier,
    candidates: Candidate[],
    query: SemanticText,
  ): Promise<number[] | undefined> {
    try {
      const scores = await verifier.score(
        candidates.map((candidate) => ({
          stored: candidate.payload.semantic?.query ?? '',
          query: query.query,
          similarity: candidate.similarity,
        })),
      );
      if (scores.length !== candidates.length)
        throw new Error(`verifier returned ${scores.length} scores for ${candidates.length} pairs`);
      return scores;
    } catch (error) {
      this.warn({
        code: 'verifier-failed',
        message: `verifier failed, treating candidates as misses: ${describe(error)}`,
        cause: error,
      });
      return undefined;
    }
  }

  private nonDeterministicReason(request: TokenomicsRequest): string | undefined {
    const temperature = request.settings?.temperature;
    if (temperature !== undefined && temperature > 0 && !this.cacheNonDeterministic) {
      return `temperature ${temperature} > 0 (set cacheNonDeterministic to cache it)`;
    }
    return undefined;
  }

  private async keysInScope(scope: Scope): Promise<string[]> {
    const tags = scopeTags(scope);
    if (tags.length === 0) return this.entries.keysByScope(scopeKey(scope));
    let keys: Set<string> | undefined;
    for (const tag of tags) {
      const tagged = new Set(await this.entries.keysByTag(tag));
      keys = keys ? new Set([...keys].filter((key) => tagged.has(key))) : tagged;
    }
    return [...(keys ?? [])];
  }

  private async deleteEverywhere(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.decoded.delete(key);
    await this.entries.delete(keys);
    await this.vectorIndex.delete(keys);
  }

  private async purgeExpiredNowAndThen(now: number): Promise<void> {
    if (now - this.lastPurge < EXPIRED_PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    const expired = await this.entries.purgeExpired(now);
    for (const key of expired) this.decoded.delete(key);
    if (expired.length > 0) await this.vectorIndex.delete(expired);
  }
}

/**
 * Follow-ups only match follow-ups, first turns only first turns, and both only with the very
 * same earlier turns and attached documents (compared by digest: partitions already separate
 * them, this also rejects entries written before the digest existed).
 */
function contextMatch(
  stored: SemanticText,
  query: SemanticText,
): { pass: true } | { pass: false; reason: string } {
  if (stored.context === query.context) return { pass: true };
  if (!stored.context || !query.context)
    return {
      pass: false,
      reason: stored.context ? 'stored question was a follow-up' : 'query is a follow-up',
    };
  return { pass: false, reason: 'earlier turns or attached documents differ' };
}

function scopeTags(scope: Scope | undefined): string[] {
  if (!scope) return [];
  const tags: string[] = [];
  for (const field of ['tenant', 'user', 'namespace'] as const) {
    const value = scope[field];
    if (value !== undefined) tags.push(`${SCOPE_TAG_PREFIX}${field}=${value}`);
  }
  return tags;
}

function hasAnswer(response: CachedResponse): boolean {
  return response.content.some(
    (part) => (part.type === 'text' && part.text.trim().length > 0) || part.type === 'tool-call',
  );
}

function miss(pending: PendingStore, trace: TraceStep): CacheLookup {
  return { status: 'miss', pending, trace };
}

function step(
  decision: string,
  reason: string,
  details: Record<string, unknown>,
  started: number,
): TraceStep {
  return { stage: 'cache', decision, reason, details, durationMs: elapsed(started) };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
