import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { type ChatGeneration, ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import {
  type AnswerCoalescer,
  type CachedCallMiss,
  type CachedResponse,
  type CacheLookup,
  type Scope,
  startCachedCall,
  type TokenomicsRequest,
  type TraceStep,
} from '@tokenomics/core';
import { coalescerFor } from '@tokenomics/core/internal';
import {
  asChunkGeneration,
  childCallbacks,
  convertMessagesAndOptions,
  innerLsParams,
} from '@tokenomics/langchain-common';
import { type TokenomicsHitMetadata, toChatGeneration, toMessageChunks } from './generation-codec';
import type { RequestLookup, TokenomicsCache, TokenomicsCacheEvent } from './tokenomics-cache';

/** The name of the custom callback event that carries each call's cache decision. */
export const TOKENOMICS_TRACE_EVENT = 'tokenomics_trace';

export type CachedChatModelCallOptions = BaseChatModelCallOptions & {
  /**
   * Scope of this call (e.g. the user). Merged under the cache's own scope, which wins on
   * conflict, so a call cannot step outside the tenant its cache was scoped to.
   */
  cacheScope?: Scope;
};

export type CachedChatModelFields = {
  /** The model to call on a miss: a chat model, or one with bound tools / options. */
  model: BaseChatModel | Runnable;
  cache: TokenomicsCache;
  /**
   * Identical calls in flight at the same time share one model call: the later ones wait for
   * the first one's stored answer and are answered from it as an exact hit. Default: true (within
   * this process). A coalescer (e.g. `@tokenomics/store-redis`'s) shares calls across processes.
   */
  coalesce?: boolean | AnswerCoalescer;
  /**
   * How long a waiting call waits for the identical call in flight before calling the model
   * itself (a leading stream abandoned unread never settles). Default: 120 000 ms.
   */
  coalesceTimeoutMs?: number;
};

/** Options of `withStreamingCache`. */
export type WithStreamingCacheOptions = Pick<CachedChatModelFields, 'coalesce' | 'coalesceTimeoutMs'>;

/** What happens to a call once the cache has been asked: answered already, or the model is called. */
type Prepared = {
  /** The options the inner model gets (the cache's own option removed). */
  callOptions: Record<string, unknown>;
  /** A cache hit, or an identical call's answer. */
  answer?: { response: CachedResponse; hit: TokenomicsHitMetadata };
  /** The request to store the model's answer under; absent when the call cannot be keyed. */
  request?: TokenomicsRequest;
  /** The core cache step of a call that goes to the model: it stores and releases waiting calls. */
  call?: CachedCallMiss;
};

/**
 * A chat model that serves calls from a `TokenomicsCache` before delegating to another model,
 * for `invoke`, `batch` and `.stream()` alike (LangChain's own `cache` field skips streaming).
 *
 * It converts the real messages, so images, files and tool objects are keyed by content
 * instead of by LangChain's lossy prompt text. A hit on `.stream()` replays the stored answer
 * as chunks (text, then tool-call chunks); a miss streams the model and stores the assembled
 * answer only when the stream ran to its end (an aborted or failed stream stores nothing).
 * Identical calls that miss while one is in flight wait for its stored answer (`coalesce`).
 */
export class CachedChatModel extends BaseChatModel<CachedChatModelCallOptions, AIMessageChunk> {
  readonly model: BaseChatModel;
  /** Not `cache`: that field would also switch on LangChain's own (prompt-string) cache path. */
  readonly tokenomicsCache: TokenomicsCache;
  private boundConfig: Record<string, unknown>;
  private boundKwargs: Record<string, unknown>;
  /** Calls in flight by exact key; undefined when coalescing is off. */
  private readonly inFlight: AnswerCoalescer | undefined;
  private readonly coalesceTimeoutMs: number | undefined;

  static override lc_name(): string {
    return 'CachedChatModel';
  }

  constructor(fields: CachedChatModelFields) {
    super({});
    const unwrapped = unwrapBindings(fields.model);
    this.model = unwrapped.model;
    this.boundConfig = unwrapped.config;
    this.boundKwargs = unwrapped.kwargs;
    this.tokenomicsCache = fields.cache;
    this.inFlight = coalescerFor(fields.coalesce, fields.coalesceTimeoutMs);
    this.coalesceTimeoutMs = fields.coalesceTimeoutMs;
  }

  override _llmType(): string {
    return 'tokenomics-cached';
  }

  /** The wrapped model's LangSmith params (model name, provider), so traces are priced by the model that ran. */
  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    return innerLsParams(this.model, options);
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<CachedChatModelCallOptions>): CachedChatModel {
    if (typeof this.model.bindTools !== 'function')
      throw new Error(`${this.model.getName()} does not support tool binding.`);
    const bound = unwrapBindings(this.model.bindTools(tools, kwargs));
    const model = new CachedChatModel({
      model: bound.model,
      cache: this.tokenomicsCache,
      coalesce: this.inFlight ?? false,
      coalesceTimeoutMs: this.coalesceTimeoutMs,
    });
    model.boundConfig = { ...this.boundConfig, ...bound.config };
    model.boundKwargs = { ...this.boundKwargs, ...bound.kwargs };
    return model;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const prepared = await this.prepare(messages, options, runManager);
    if (prepared.answer) {
      const { response, hit } = prepared.answer;
      return { generations: [asChunkGeneration(toChatGeneration(response, hit))] };
    }
    let message: BaseMessage;
    try {
      message = (await this.model.invoke(
        messages,
        this.innerOptions(prepared.callOptions, runManager),
      )) as BaseMessage;
    } catch (error) {
      // Identical calls waiting on this one call the model themselves.
      prepared.call?.abandon();
      throw error;
    }
    const generation = asChunkGeneration({ text: message.text, message });
    await this.store(prepared, generation, runManager);
    return { generations: [generation] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const prepared = await this.prepare(messages, options, runManager);
    if (prepared.answer) {
      const { response, hit } = prepared.answer;
      for (const message of toMessageChunks(response, hit)) {
        const chunk = new ChatGenerationChunk({ text: message.text, message });
        yield chunk;
        if (chunk.text)
          await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, {
            chunk,
          });
      }
      return;
    }
    let assembled: AIMessageChunk | undefined;
    let complete = false;
    try {
      const stream = await this.model.stream(messages, this.innerOptions(prepared.callOptions, runManager));
      for await (const message of stream) {
        const messageChunk: AIMessageChunk = message;
        // Concatenating onto an empty chunk gives `assembled` objects of its own, which later
        // changes to the yielded chunks (LangChain sets ids and metadata on them) cannot reach.
        assembled = (assembled ?? new AIMessageChunk({ content: '' })).concat(messageChunk);
        const chunk = new ChatGenerationChunk({ text: messageChunk.text, message: messageChunk });
        yield chunk;
        if (chunk.text)
          await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, {
            chunk,
          });
      }
      // Reached only when the stream ran to its end: a consumer that stops early, an abort
      // or a failing model leaves this generator before anything is stored.
      complete = true;
      const generation = assembled && { text: assembled.text, message: assembled };
      await this.store(prepared, generation, runManager);
    } finally {
      // Also runs when the consumer stops early (the generator is returned), so waiters never hang on it.
      if (!complete) prepared.call?.abandon();
    }
  }

  /** Stores a complete answer (unless the call was a bypass or aborted) and releases waiting calls. */
  private async store(
    prepared: Prepared,
    generation: ChatGeneration | undefined,
    runManager: CallbackManagerForLLMRun | undefined,
  ): Promise<void> {
    const { request, call } = prepared;
    if (!request || !call) return;
    const event = await call.finish(
      generation &&
        (async () => {
          const outcome = await this.tokenomicsCache.storeRequestAnswer(request, generation);
          return { outcome: outcome.event, stored: outcome.stored };
        }),
    );
    if (event) await this.report(runManager, event);
  }

  /**
   * Asks the cache. On a miss of a keyed request, joins the calls in flight under its exact key:
   * the first one (the leader) calls the model; an identical later one waits for the leader's
   * stored answer and, when there is none (failure, abort, not storable), calls the model itself.
   */
  private async prepare(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager: CallbackManagerForLLMRun | undefined,
  ): Promise<Prepared> {
    const { scope, callOptions } = this.withoutScope(this.callOptions(options));
    const { request } = await this.convert(messages, callOptions, scope, runManager);
    if (!request) return { callOptions };
    let found: RequestLookup | undefined;
    const call = await startCachedCall<CachedResponse>({
      lookup: async () => {
        found = await this.tokenomicsCache.lookupRequest(request, options.signal);
        await this.report(runManager, found.event);
        return asCacheLookup(found);
      },
      decode: (response) => response,
      // A failed lookup has no key: it is not shared.
      coalesceKey: () => (found?.status === 'miss' ? found.key : undefined),
      coalescer: this.inFlight,
      coalesceTimeoutMs: this.coalesceTimeoutMs,
      signal: options.signal,
    });
    if (call.status === 'call') return { callOptions, request, call };
    if (!call.coalesced && found?.status === 'hit')
      return { callOptions, answer: { response: found.response, hit: found.hit } };
    const hit: TokenomicsHitMetadata = {
      cached: true,
      kind: 'exact',
      traceId: found?.event.traceId ?? globalThis.crypto.randomUUID(),
      savedUsage: call.response.usage,
      coalesced: true,
    };
    return { callOptions, answer: { response: call.response, hit } };
  }

  private callOptions(options: this['ParsedCallOptions']): Record<string, unknown> {
    const { promptIndex: _promptIndex, ...rest } = options as Record<string, unknown>;
    return { ...this.boundConfig, ...rest, ...this.boundKwargs };
  }

  /** The options the inner model understands: the cache's own option stays here. */
  private withoutScope(callOptions: Record<string, unknown>): {
    scope?: Scope;
    callOptions: Record<string, unknown>;
  } {
    const { cacheScope, ...rest } = callOptions;
    return { scope: cacheScope as Scope | undefined, callOptions: rest };
  }

  /**
   * This model reports the call (tokens, events) itself; the inner model's run goes only to a
   * LangSmith tracer, nested under this run (its model and usage priced there), so the caller's
   * handlers and those it could inherit from an enclosing run (async-local config, as LangGraph
   * sets up) do not see every token a second time.
   */
  private innerOptions(
    callOptions: Record<string, unknown>,
    runManager: CallbackManagerForLLMRun | undefined,
  ): Record<string, unknown> {
    return { ...callOptions, callbacks: childCallbacks(runManager, 'tokenomics:cache-miss', []) };
  }

  private async convert(
    messages: BaseMessage[],
    callOptions: Record<string, unknown>,
    scope: Scope | undefined,
    runManager: CallbackManagerForLLMRun | undefined,
  ): Promise<{ request?: TokenomicsRequest }> {
    const converted = convertMessagesAndOptions(messages, { model: this.model, callOptions, scope });
    if (!converted.lossy) return { request: converted.request };
    await this.report(runManager, this.tokenomicsCache.reportBypass(converted.lossy));
    return {};
  }

  private async report(
    runManager: CallbackManagerForLLMRun | undefined,
    event: TokenomicsCacheEvent,
  ): Promise<void> {
    await runManager?.handleCustomEvent(TOKENOMICS_TRACE_EVENT, event);
  }
}

/** Wraps a chat model so that `invoke`, `batch` and `.stream()` are served from the cache. */
export function withStreamingCache(
  model: BaseChatModel | Runnable,
  cache: TokenomicsCache,
  options: WithStreamingCacheOptions = {},
): CachedChatModel {
  return new CachedChatModel({ model, cache, ...options });
}

/** The engine-shaped outcome of the cache's lookup, for the core cache step. */
function asCacheLookup(found: RequestLookup): CacheLookup {
  const trace: TraceStep = found.event.steps[0] ?? {
    stage: 'cache',
    decision: found.event.type,
    ...(found.event.reason === undefined ? {} : { reason: found.event.reason }),
  };
  if (found.status === 'hit') {
    const lookup: CacheLookup = {
      status: 'hit',
      kind: found.hit.kind,
      key: found.key ?? '',
      response: found.response,
      trace,
    };
    if (found.hit.similarity !== undefined) lookup.similarity = found.hit.similarity;
    return lookup;
  }
  if (found.status === 'bypass') return { status: 'bypass', reason: found.event.reason ?? 'bypass', trace };
  // The pending store (key, embedding) stays with the cache, which finds it by key when storing.
  return { status: 'miss', trace };
}

type Unwrapped = { model: BaseChatModel; config: Record<string, unknown>; kwargs: Record<string, unknown> };

/** `model.bindTools(...)` and `model.withConfig(...)` return bindings; the options live on them. */
function unwrapBindings(runnable: BaseChatModel | Runnable): Unwrapped {
  const bindings: Array<{ config?: Record<string, unknown>; kwargs?: Record<string, unknown> }> = [];
  let current: unknown = runnable;
  while (isBinding(current)) {
    bindings.unshift(current);
    current = current.bound;
  }
  if (!(current instanceof BaseChatModel))
    throw new TypeError('withStreamingCache needs a chat model (BaseChatModel).');
  const config: Record<string, unknown> = {};
  const kwargs: Record<string, unknown> = {};
  for (const binding of bindings) {
    Object.assign(config, binding.config);
    Object.assign(kwargs, binding.kwargs);
  }
  return { model: current, config, kwargs };
}

function isBinding(
  value: unknown,
): value is { bound: unknown; config?: Record<string, unknown>; kwargs?: Record<string, unknown> } {
  return typeof value === 'object' && value !== null && 'bound' in value && 'kwargs' in value;
}
