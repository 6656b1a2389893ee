import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Middleware,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import {
  type AnswerCoalescer,
  awaitLeader,
  type CachedResponse,
  type CacheEngine,
  type CacheLookup,
  type CacheWarning,
  coalescerFor,
  exactKey,
  type InFlightLeader,
  type Invalidation,
  type NearMatch,
  type Scope,
  SemanticCache,
  type SemanticCacheOptions,
  type TokenomicsRequest,
  type TraceStep,
} from '@tokenomics/core';
import { type CacheMetadata, withCacheMetadata } from './cache-metadata';
import { cacheHitUsage, isStorableFinish, savedTokens } from './cache-usage';
import {
  type CachedAnswer,
  cachedResponseFromGenerateResult,
  cachedResponseFromStreamParts,
  readCachedAnswer,
  streamPartsFromContent,
} from './cached-answer';
import { mergeScopes, readCallOptions } from './call-options';
import { DEFAULT_NEAR_MATCH_SIMILARITY, withNearMatchContext } from './near-match-context';
import { replayStream } from './replay-stream';
import { toTokenomicsRequest } from './to-tokenomics-request';

export type CacheMiddlewareOptions = CacheMiddlewareSharedOptions &
  (
    | {
        /** A cache engine to use as is (its own store, embedder, threshold and policies). */
        engine: CacheEngine;
      }
    | ({ engine?: undefined } & Omit<SemanticCacheOptions, 'ttlMs' | 'onWarning'>)
  );

export type CacheMiddlewareSharedOptions = {
  /**
   * Who cached answers belong to; answers never cross scopes. A function is called per call.
   * `providerOptions.tokenomics.scope` on a call is merged over it, field by field.
   */
  scope?: Scope | ((params: LanguageModelV4CallOptions) => Scope | undefined);
  /** Time to live of stored entries, in milliseconds. Default: no expiry. */
  ttlMs?: number;
  /** Tags for stored entries, for invalidation by tag. */
  tags?: string[] | ((params: LanguageModelV4CallOptions) => string[]);
  /** Pause between replayed stream parts on a hit, in milliseconds. Default 0 (all at once). */
  replayChunkDelayMs?: number;
  /** Called after a hit, before the answer is returned. Errors thrown here are reported, not raised. */
  onHit?: (event: CacheHitEvent) => void;
  /** Called after a miss or bypass, before the model is called. */
  onMiss?: (event: CacheMissEvent) => void;
  /** Warnings: store errors, malformed per-call options, a throwing hook. Default: console.warn. */
  onWarning?: (warning: CacheWarning) => void;
  /**
   * Request coalescing (default true): while one call for an exact key is in flight, identical
   * calls wait for its stored answer instead of each reaching the model. A follower whose leader
   * stores nothing (an error, an abort, an uncacheable answer) calls the model itself. A
   * coalescer (e.g. `@tokenomics/store-redis`'s) shares calls across processes.
   */
  coalesce?: boolean | AnswerCoalescer;
  /** How long a coalesced call waits for the one in flight before calling the model. Default 120 s. */
  coalesceTimeoutMs?: number;
  /**
   * Near-match context (opt-in, default false): on a miss, the closest stored question of the same
   * scope whose similarity reaches the engine's `nearMatch.minSimilarity` (default 0.8 when this
   * middleware builds the engine) is passed to the model as a system message — the earlier question
   * and its answer — so a cheaper model can answer from it. Never across scopes. Not for answers
   * that must not be shown to another request, nor where a close but different question's answer
   * would mislead (see docs/cache.md).
   */
  nearMatchContext?: boolean;
};

export type CacheHitEvent = {
  mode: 'generate' | 'stream';
  traceId: string;
  kind: 'exact' | 'semantic';
  similarity?: number;
  key: string;
  savedTokens: number;
  request: TokenomicsRequest;
  response: CachedResponse;
};

export type CacheMissEvent = {
  mode: 'generate' | 'stream';
  traceId: string;
  decision: 'miss' | 'bypass';
  reason?: string;
  /** Absent when the call could not be converted (then it bypasses the cache). */
  request?: TokenomicsRequest;
};

/** The middleware, plus handles on the engine behind it. */
export type CacheMiddleware = LanguageModelV4Middleware & {
  readonly engine: CacheEngine;
  /** Removes entries by tag, scope or key; returns how many were removed. */
  invalidate(what: Invalidation): Promise<number>;
  /** Closes the engine (and the stores it opened). */
  close(): Promise<void>;
};

/**
 * Exact + semantic caching for any AI SDK language model:
 * `wrapLanguageModel({ model, middleware: cacheMiddleware({ embedder }) })`.
 * A hit returns the stored answer (a stream hit replays the recorded parts) with usage and
 * `providerMetadata.tokenomics` marking it as cached; a miss calls the model and stores a
 * complete answer. A failing cache never fails the call: it degrades to calling the model.
 */
export function cacheMiddleware(options: CacheMiddlewareOptions = {}): CacheMiddleware {
  const onWarning = options.onWarning ?? defaultWarning;
  const engine = options.engine ?? createEngine(options, onWarning);
  const inFlight = coalescerFor(options.coalesce, options.coalesceTimeoutMs);

  const report = (code: string, message: string, cause?: unknown) => {
    try {
      onWarning({ code, message, cause });
    } catch {
      // A warning sink that throws must not turn a warning into a failed call.
    }
  };

  const callHook = <Event>(hook: ((event: Event) => void) | undefined, event: Event) => {
    if (!hook) return;
    try {
      hook(event);
    } catch (error) {
      report('hook-error', 'a cache hook threw; the call continues', error);
    }
  };

  async function begin(
    mode: 'generate' | 'stream',
    params: LanguageModelV4CallOptions,
    model: LanguageModelV4,
  ): Promise<CallState> {
    const traceId = globalThis.crypto.randomUUID();
    let request: TokenomicsRequest;
    let tags: string[];
    let ttlMs: number | undefined;
    try {
      const callOptions = readCallOptions(params);
      if (!callOptions.ok) {
        report('invalid-call-options', `${callOptions.reason}; the cache is bypassed for this call`);
        return bypass(mode, traceId, callOptions.reason);
      }
      if (callOptions.options.bypass) return bypass(mode, traceId, 'bypassed by providerOptions.tokenomics');
      const baseScope = typeof options.scope === 'function' ? options.scope(params) : options.scope;
      const scope = mergeScopes(baseScope, callOptions.options.scope);
      request = toTokenomicsRequest(params, { provider: model.provider, modelId: model.modelId }, scope);
      const baseTags = typeof options.tags === 'function' ? options.tags(params) : (options.tags ?? []);
      tags = [...new Set([...baseTags, ...(callOptions.options.tags ?? [])])];
      ttlMs = callOptions.options.ttlMs ?? options.ttlMs;
    } catch (error) {
      report('request-conversion-failed', 'could not build the cache request; the cache is bypassed', error);
      return bypass(mode, traceId, 'request conversion failed');
    }

    let lookup: CacheLookup;
    try {
      lookup = await engine.lookup(request, { signal: params.abortSignal });
    } catch (error) {
      // The engine contract says lookup never throws; a custom engine might, and must not fail the call.
      report('lookup-failed', 'cache lookup threw; calling the model', error);
      lookup = { status: 'miss', trace: { stage: 'cache', decision: 'error', reason: 'lookup threw' } };
    }

    if (lookup.status === 'hit') {
      const answer = readAnswer(lookup.response);
      if (answer) {
        const saved = savedTokens(lookup.response.usage);
        callHook(options.onHit, {
          mode,
          traceId,
          kind: lookup.kind,
          similarity: lookup.similarity,
          key: lookup.key,
          savedTokens: saved,
          request,
          response: lookup.response,
        });
        const metadata: CacheMetadata = {
          cached: true,
          decision: 'hit',
          traceId,
          kind: lookup.kind,
          savedTokens: saved,
          originalUsage: lookup.response.usage,
          steps: [lookup.trace],
        };
        if (lookup.similarity !== undefined) metadata.similarity = lookup.similarity;
        return { type: 'hit', traceId, response: lookup.response, answer, metadata };
      }
      // An entry this adapter cannot replay is a miss; the fresh answer replaces it.
      lookup = {
        status: 'miss',
        trace: { ...lookup.trace, decision: 'miss', reason: 'cached answer could not be replayed' },
      };
    }

    let leader: InFlightLeader | undefined;
    if (lookup.status === 'miss' && inFlight) {
      const joined = await inFlight.join(exactKey(request));
      if (joined.role === 'leader') leader = joined;
      else {
        const response = await awaitLeader(joined, params.abortSignal, options.coalesceTimeoutMs);
        const answer = response && readAnswer(response);
        if (response && answer) {
          const saved = savedTokens(response.usage);
          const key = exactKey(request);
          callHook(options.onHit, {
            mode,
            traceId,
            kind: 'exact',
            key,
            savedTokens: saved,
            request,
            response,
          });
          const step: TraceStep = {
            stage: 'cache',
            decision: 'hit',
            reason: 'coalesced: an identical call in flight stored this answer',
          };
          return {
            type: 'hit',
            traceId,
            response,
            answer,
            metadata: {
              cached: true,
              decision: 'hit',
              traceId,
              kind: 'exact',
              coalesced: true,
              savedTokens: saved,
              originalUsage: response.usage,
              steps: [lookup.trace, step],
            },
          };
        }
      }
    }

    const decision = lookup.status;
    const reason = lookup.status === 'bypass' ? lookup.reason : lookup.trace.reason;
    callHook(options.onMiss, { mode, traceId, decision, reason, request });
    const nearMatch = options.nearMatchContext && lookup.status === 'miss' ? lookup.nearMatch : undefined;
    return {
      type: 'call',
      traceId,
      steps: [lookup.trace],
      decision,
      reason,
      ...(nearMatch ? { nearMatch } : {}),
      // An engine bypass (e.g. temperature > 0) means the answer must not be stored either.
      store:
        lookup.status === 'miss'
          ? { request, tags, ttlMs, pending: lookup.pending, signal: params.abortSignal }
          : undefined,
      leader,
    };
  }

  function readAnswer(response: CachedResponse): CachedAnswer | undefined {
    try {
      return readCachedAnswer(response);
    } catch (error) {
      report('unreadable-cached-answer', 'a cached answer could not be replayed; calling the model', error);
      return undefined;
    }
  }

  function bypass(mode: 'generate' | 'stream', traceId: string, reason: string): CallState {
    callHook(options.onMiss, { mode, traceId, decision: 'bypass', reason });
    const step: TraceStep = { stage: 'cache', decision: 'bypass', reason };
    return { type: 'call', traceId, steps: [step], decision: 'bypass', reason, store: undefined };
  }

  async function store(plan: StorePlan, response: CachedResponse): Promise<StoreResult> {
    try {
      const outcome = await engine.store(plan.request, response, {
        ttlMs: plan.ttlMs,
        tags: plan.tags,
        pending: plan.pending,
        signal: plan.signal,
      });
      return { stored: outcome.stored, step: outcome.trace };
    } catch (error) {
      report('store-failed', 'storing the answer failed; the answer is returned uncached', error);
      return { stored: false, step: { stage: 'cache', decision: 'error', reason: 'store threw' } };
    }
  }

  function missMetadata(state: CallStateCall, storeResult?: StoreResult): CacheMetadata {
    const metadata: CacheMetadata = {
      cached: false,
      decision: state.decision,
      traceId: state.traceId,
      steps: storeResult ? [...state.steps, storeResult.step] : state.steps,
    };
    if (state.reason !== undefined) metadata.reason = state.reason;
    if (storeResult) metadata.stored = storeResult.stored;
    if (state.nearMatch) metadata.nearMatchSimilarity = state.nearMatch.similarity;
    return metadata;
  }

  return {
    specificationVersion: 'v4',
    engine,
    invalidate: (what) => engine.invalidate(what),
    close: () => engine.close(),

    async wrapGenerate({ doGenerate, params, model }): Promise<LanguageModelV4GenerateResult> {
      const state = await begin('generate', params, model);
      if (state.type === 'hit') return generateResultFromCache(state);

      let stored: CachedResponse | undefined;
      try {
        const result = state.nearMatch
          ? await model.doGenerate(withNearMatchContext(params, state.nearMatch))
          : await doGenerate();
        let storeResult: StoreResult | undefined;
        if (state.store && isStorableFinish(result.finishReason) && !params.abortSignal?.aborted) {
          const response = cachedResponseFromGenerateResult(result);
          storeResult = await store(state.store, response);
          if (storeResult.stored) stored = response;
        }
        return {
          ...result,
          providerMetadata: withCacheMetadata(result.providerMetadata, missMetadata(state, storeResult)),
        };
      } finally {
        // Calls that joined this one get the stored answer, or call the model themselves.
        state.leader?.settle(stored);
      }
    },

    async wrapStream({ doStream, params, model }): Promise<LanguageModelV4StreamResult> {
      const state = await begin('stream', params, model);
      if (state.type === 'hit') {
        return {
          stream: replayStream(streamPartsFromCache(state), {
            chunkDelayMs: options.replayChunkDelayMs,
            abortSignal: params.abortSignal,
          }),
        };
      }

      const leader = state.leader;
      // An aborted or failed stream stores nothing: whoever waits on it calls the model instead.
      params.abortSignal?.addEventListener('abort', () => leader?.settle(undefined), { once: true });
      let result: LanguageModelV4StreamResult;
      try {
        result = state.nearMatch
          ? await model.doStream(withNearMatchContext(params, state.nearMatch))
          : await doStream();
      } catch (error) {
        leader?.settle(undefined);
        throw error;
      }
      const recorded: LanguageModelV4StreamPart[] = [];
      let heldFinish: Extract<LanguageModelV4StreamPart, { type: 'finish' }> | undefined;
      let failed = false;
      const plan = state.store;

      const recorder = new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
        transform(part, controller) {
          if (part.type === 'error') failed = true;
          if (part.type !== 'raw') recorded.push(part);
          // The finish part is held back until the stream ends so it can say whether the answer
          // was stored; anything arriving after it releases it first, keeping the order intact.
          if (heldFinish) {
            controller.enqueue(withMissMetadata(heldFinish, missMetadata(state)));
            heldFinish = undefined;
          }
          if (part.type === 'finish') heldFinish = part;
          else controller.enqueue(part);
        },
        async flush(controller) {
          // flush runs only when the source ended normally; a cancelled (aborted) read never gets here.
          const finish = recorded.findLast((part) => part.type === 'finish');
          let storeResult: StoreResult | undefined;
          let stored: CachedResponse | undefined;
          if (
            plan &&
            finish &&
            !failed &&
            !params.abortSignal?.aborted &&
            isStorableFinish(finish.finishReason)
          ) {
            const response = cachedResponseFromStreamParts(recorded);
            if (response) storeResult = await store(plan, response);
            if (storeResult?.stored) stored = response;
          }
          leader?.settle(stored);
          if (heldFinish) controller.enqueue(withMissMetadata(heldFinish, missMetadata(state, storeResult)));
        },
      });
      return { ...result, stream: result.stream.pipeThrough(recorder) };
    },
  };

  function generateResultFromCache(state: CallStateHit): LanguageModelV4GenerateResult {
    const { answer } = state;
    const result: LanguageModelV4GenerateResult = {
      content: answer.content,
      finishReason: answer.finishReason,
      usage: cacheHitUsage(state.response.usage),
      providerMetadata: withCacheMetadata(answer.providerMetadata, state.metadata),
      response: {
        timestamp: new Date(),
        ...(answer.modelId !== undefined ? { modelId: answer.modelId } : {}),
      },
      warnings: [],
    };
    if (answer.structuredOutputText !== undefined) result.structuredOutputText = answer.structuredOutputText;
    return result;
  }

  function streamPartsFromCache(state: CallStateHit): LanguageModelV4StreamPart[] {
    const { answer } = state;
    const parts = answer.streamParts ?? streamPartsFromContent(answer);
    const replayed: LanguageModelV4StreamPart[] = parts.filter((part) => part.type !== 'finish');
    const finish = parts.findLast((part) => part.type === 'finish');
    replayed.push({
      type: 'finish',
      finishReason: answer.finishReason,
      usage: cacheHitUsage(state.response.usage),
      providerMetadata: withCacheMetadata(
        finish?.providerMetadata ?? answer.providerMetadata,
        state.metadata,
      ),
    });
    return replayed;
  }
}

type StorePlan = {
  request: TokenomicsRequest;
  tags: string[];
  ttlMs: number | undefined;
  pending: Extract<CacheLookup, { status: 'miss' }>['pending'];
  signal: AbortSignal | undefined;
};

type StoreResult = { stored: boolean; step: TraceStep };

type CallStateHit = {
  type: 'hit';
  traceId: string;
  response: CachedResponse;
  answer: CachedAnswer;
  metadata: CacheMetadata;
};

type CallStateCall = {
  type: 'call';
  traceId: string;
  steps: TraceStep[];
  decision: 'miss' | 'bypass';
  reason: string | undefined;
  /** Set when the answer may be stored afterwards. */
  store: StorePlan | undefined;
  /** A close stored question passed to the model as context (near-match context on). */
  nearMatch?: NearMatch;
  /** Set when identical calls may join this one (request coalescing). */
  leader?: InFlightLeader | undefined;
};

type CallState = CallStateHit | CallStateCall;

function withMissMetadata(
  finish: Extract<LanguageModelV4StreamPart, { type: 'finish' }>,
  metadata: CacheMetadata,
): LanguageModelV4StreamPart {
  return { ...finish, providerMetadata: withCacheMetadata(finish.providerMetadata, metadata) };
}

function createEngine(
  options: CacheMiddlewareSharedOptions & { engine?: undefined } & Omit<
      SemanticCacheOptions,
      'ttlMs' | 'onWarning'
    >,
  onWarning: (warning: CacheWarning) => void,
): CacheEngine {
  const {
    engine: _engine,
    scope: _scope,
    ttlMs,
    tags: _tags,
    replayChunkDelayMs: _replayChunkDelayMs,
    onHit: _onHit,
    onMiss: _onMiss,
    onWarning: _onWarning,
    coalesce: _coalesce,
    coalesceTimeoutMs: _coalesceTimeoutMs,
    nearMatchContext,
    ...engineOptions
  } = options;
  const nearMatch =
    engineOptions.nearMatch ??
    (nearMatchContext ? { minSimilarity: DEFAULT_NEAR_MATCH_SIMILARITY } : undefined);
  return new SemanticCache({ ...engineOptions, ...(nearMatch ? { nearMatch } : {}), ttlMs, onWarning });
}

function defaultWarning(warning: CacheWarning): void {
  console.warn(`[@tokenomics/ai-sdk] ${warning.code}: ${warning.message}`, warning.cause ?? '');
}
