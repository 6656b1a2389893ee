import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import {
  type AnswerCoalescer,
  type CachedCallHit,
  type CachedCallMiss,
  type CachedCallProblem,
  type CachedResponse,
  type CacheEngine,
  type CacheWarning,
  exactKey,
  type Invalidation,
  type NearMatch,
  type PendingStore,
  type Scope,
  SemanticCache,
  type SemanticCacheOptions,
  startCachedCall,
  type TelemetrySettings,
  type TokenomicsRequest,
  type TraceStep,
  traceCacheLookup,
} from '@tokenomics/core';
import { coalescerFor } from '@tokenomics/core/internal';
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
import { callTelemetry } from './call-telemetry';
import type { AiCallOptions, AiLanguageModelMiddleware } from './installed-specification';
import { DEFAULT_NEAR_MATCH_SIMILARITY, withNearMatchContext } from './near-match-context';
import { replayStream } from './replay-stream';
import { toTokenomicsRequest } from './to-tokenomics-request';
import { callbacksForInstalledAi, middlewareForInstalledAi } from './v3-bridge';

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
  scope?: Scope | ((params: AiCallOptions) => Scope | undefined);
  /** Time to live of stored entries, in milliseconds. Default: no expiry. */
  ttlMs?: number;
  /** Tags for stored entries, for invalidation by tag. */
  tags?: string[] | ((params: AiCallOptions) => string[]);
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
   * OpenTelemetry: each lookup is a `tokenomics.cache.lookup` span. Pass the object you give
   * `generateText` as `experimental_telemetry` (`isEnabled: false` records nothing; `functionId`
   * and `metadata` go on the span); `providerOptions.tokenomics.telemetry` overrides it per call.
   */
  telemetry?: TelemetrySettings;
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
export type CacheMiddleware = AiLanguageModelMiddleware & {
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
export function cacheMiddleware(input: CacheMiddlewareOptions = {}): CacheMiddleware {
  const options = callbacksForInstalledAi(input, ['scope', 'tags']);
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
    const prepared = prepareCall(params, model);
    if ('bypass' in prepared) return bypass(mode, traceId, prepared.bypass);
    const { request, tags, ttlMs } = prepared;
    const call = await startCachedCall<CachedAnswer>({
      lookup: () =>
        traceCacheLookup(callTelemetry(options.telemetry, params), request, () =>
          engine.lookup(request, { signal: params.abortSignal }),
        ),
      decode: readCachedAnswer,
      coalesceKey: () => exactKey(request),
      coalescer: inFlight,
      coalesceTimeoutMs: options.coalesceTimeoutMs,
      signal: params.abortSignal,
      onProblem: (code, cause) => report(code, PROBLEM_MESSAGES[code], cause),
    });
    if (call.status === 'hit') return hitState(mode, traceId, request, call);
    callHook(options.onMiss, { mode, traceId, decision: call.decision, reason: call.reason, request });
    const nearMatch = options.nearMatchContext && call.decision === 'miss' ? call.nearMatch : undefined;
    return {
      type: 'call',
      traceId,
      call,
      store: { request, tags, ttlMs, signal: params.abortSignal },
      ...(nearMatch ? { nearMatch } : {}),
    };
  }

  /** The cache request, tags and ttl of a call, or why the cache is bypassed for it. */
  function prepareCall(
    params: LanguageModelV4CallOptions,
    model: LanguageModelV4,
  ): StorePlan | { bypass: string } {
    try {
      const callOptions = readCallOptions(params);
      if (!callOptions.ok) {
        report('invalid-call-options', `${callOptions.reason}; the cache is bypassed for this call`);
        return { bypass: callOptions.reason };
      }
      if (callOptions.options.bypass) return { bypass: 'bypassed by providerOptions.tokenomics' };
      const baseScope = typeof options.scope === 'function' ? options.scope(params) : options.scope;
      const scope = mergeScopes(baseScope, callOptions.options.scope);
      const request = toTokenomicsRequest(
        params,
        { provider: model.provider, modelId: model.modelId },
        scope,
      );
      const baseTags = typeof options.tags === 'function' ? options.tags(params) : (options.tags ?? []);
      const tags = [...new Set([...baseTags, ...(callOptions.options.tags ?? [])])];
      return { request, tags, ttlMs: callOptions.options.ttlMs ?? options.ttlMs, signal: params.abortSignal };
    } catch (error) {
      report('request-conversion-failed', 'could not build the cache request; the cache is bypassed', error);
      return { bypass: 'request conversion failed' };
    }
  }

  function hitState(
    mode: 'generate' | 'stream',
    traceId: string,
    request: TokenomicsRequest,
    hit: CachedCallHit<CachedAnswer>,
  ): CallStateHit {
    const saved = savedTokens(hit.response.usage);
    const key = hit.key ?? exactKey(request);
    const event: CacheHitEvent = {
      mode,
      traceId,
      kind: hit.kind,
      key,
      savedTokens: saved,
      request,
      response: hit.response,
    };
    if (hit.similarity !== undefined) event.similarity = hit.similarity;
    callHook(options.onHit, event);
    const metadata: CacheMetadata = {
      cached: true,
      decision: 'hit',
      traceId,
      kind: hit.kind,
      ...(hit.coalesced ? { coalesced: true } : {}),
      savedTokens: saved,
      originalUsage: hit.response.usage,
      steps: hit.steps,
    };
    if (hit.similarity !== undefined) metadata.similarity = hit.similarity;
    return { type: 'hit', traceId, response: hit.response, answer: hit.answer, metadata };
  }

  function bypass(mode: 'generate' | 'stream', traceId: string, reason: string): CallState {
    callHook(options.onMiss, { mode, traceId, decision: 'bypass', reason });
    return { type: 'bypass', traceId, reason };
  }

  async function store(plan: StorePlan, pending: PendingStore | undefined, response: CachedResponse) {
    try {
      const outcome = await engine.store(plan.request, response, {
        ttlMs: plan.ttlMs,
        tags: plan.tags,
        pending,
        signal: plan.signal,
      });
      const result: StoreResult = { stored: outcome.stored, step: outcome.trace };
      return { outcome: result, stored: outcome.stored ? response : undefined };
    } catch (error) {
      report('store-failed', 'storing the answer failed; the answer is returned uncached', error);
      const result: StoreResult = {
        stored: false,
        step: { stage: 'cache', decision: 'error', reason: 'store threw' },
      };
      return { outcome: result, stored: undefined };
    }
  }

  /** Stores the answer through the call's cache step (which also releases coalesced callers). */
  function finish(
    state: CallStateCall,
    response: CachedResponse | undefined,
  ): Promise<StoreResult | undefined> {
    return state.call.finish(response && (() => store(state.store, state.call.pending, response)));
  }

  function missMetadata(state: CallStateCall | CallStateBypass, storeResult?: StoreResult): CacheMetadata {
    const steps = state.type === 'bypass' ? [bypassStep(state.reason)] : state.call.steps;
    const metadata: CacheMetadata = {
      cached: false,
      decision: state.type === 'bypass' ? 'bypass' : state.call.decision,
      traceId: state.traceId,
      steps: storeResult ? [...steps, storeResult.step] : steps,
    };
    const reason = state.type === 'bypass' ? state.reason : state.call.reason;
    if (reason !== undefined) metadata.reason = reason;
    if (storeResult) metadata.stored = storeResult.stored;
    if (state.type === 'call' && state.nearMatch) metadata.nearMatchSimilarity = state.nearMatch.similarity;
    return metadata;
  }

  return middlewareForInstalledAi({
    specificationVersion: 'v4',
    engine,
    invalidate: (what: Invalidation) => engine.invalidate(what),
    close: () => engine.close(),

    async wrapGenerate({ doGenerate, params, model }): Promise<LanguageModelV4GenerateResult> {
      const state = await begin('generate', params, model);
      if (state.type === 'hit') return generateResultFromCache(state);

      let result: LanguageModelV4GenerateResult;
      try {
        result =
          state.type === 'call' && state.nearMatch
            ? await model.doGenerate(withNearMatchContext(params, state.nearMatch))
            : await doGenerate();
      } catch (error) {
        // Calls that joined this one call the model themselves.
        if (state.type === 'call') state.call.abandon();
        throw error;
      }
      let storeResult: StoreResult | undefined;
      if (state.type === 'call') {
        const storable = isStorableFinish(result.finishReason);
        storeResult = await finish(state, storable ? cachedResponseFromGenerateResult(result) : undefined);
      }
      return {
        ...result,
        providerMetadata: withCacheMetadata(result.providerMetadata, missMetadata(state, storeResult)),
      };
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

      let result: LanguageModelV4StreamResult;
      try {
        result =
          state.type === 'call' && state.nearMatch
            ? await model.doStream(withNearMatchContext(params, state.nearMatch))
            : await doStream();
      } catch (error) {
        if (state.type === 'call') state.call.abandon();
        throw error;
      }
      const recorded: LanguageModelV4StreamPart[] = [];
      let heldFinish: Extract<LanguageModelV4StreamPart, { type: 'finish' }> | undefined;
      let failed = false;

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
          const finishPart = recorded.findLast((part) => part.type === 'finish');
          let storeResult: StoreResult | undefined;
          if (state.type === 'call') {
            const complete = finishPart && !failed && isStorableFinish(finishPart.finishReason);
            storeResult = await finish(state, complete ? cachedResponseFromStreamParts(recorded) : undefined);
          }
          if (heldFinish) controller.enqueue(withMissMetadata(heldFinish, missMetadata(state, storeResult)));
        },
      });
      return { ...result, stream: result.stream.pipeThrough(recorder) };
    },
  });

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

/** The model is called; its answer may be stored. */
type CallStateCall = {
  type: 'call';
  traceId: string;
  call: CachedCallMiss;
  store: StorePlan;
  /** A close stored question passed to the model as context (near-match context on). */
  nearMatch?: NearMatch;
};

/** The call could not be keyed (or asked not to be cached): the model is called, nothing stored. */
type CallStateBypass = { type: 'bypass'; traceId: string; reason: string };

type CallState = CallStateHit | CallStateCall | CallStateBypass;

const PROBLEM_MESSAGES: Record<CachedCallProblem, string> = {
  'lookup-failed': 'cache lookup threw; calling the model',
  'unreadable-cached-answer': 'a cached answer could not be replayed; calling the model',
};

function bypassStep(reason: string): TraceStep {
  return { stage: 'cache', decision: 'bypass', reason };
}

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
