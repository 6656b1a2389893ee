import { BaseCache } from '@langchain/core/caches';
import type { Generation } from '@langchain/core/outputs';
import {
  type CachedResponse,
  type CacheEngine,
  type CacheWarning,
  type CreateSqliteCacheOptions,
  createSqliteCache,
  exactKey,
  type Invalidation,
  type PendingStore,
  type Scope,
  SemanticCache,
  type SemanticCacheOptions,
  type TelemetrySettings,
  type TokenomicsRequest,
  type TraceStep,
  traceCacheLookup,
} from '@tokenomics/core';
import { deepFreeze, LruMap } from '@tokenomics/core/internal';
import { modelParamsFrom, parseLlmString } from '@tokenomics/langchain-common';
import { type TokenomicsHitMetadata, toCachedResponse, toChatGeneration } from './generation-codec';
import { messagesFromPromptString } from './prompt-string';

export type TokenomicsCacheOptions = SemanticCacheOptions & {
  /** A ready engine (shared between caches); otherwise one is built from the other options. */
  engine?: CacheEngine;
  /** Whose answers these are. Entries never cross scopes. */
  scope?: Scope;
  /** Tags written on every stored entry, for `invalidate({ tags })`. */
  tags?: string[];
  /** Receives every lookup and store outcome with its trace steps. */
  onEvent?: (event: TokenomicsCacheEvent) => void;
  /**
   * OpenTelemetry: each lookup is a `tokenomics.cache.lookup` span (hit kind, similarity, tokens
   * saved). Default: recorded through `@opentelemetry/api` when it is installed; `isEnabled: false` turns it off.
   */
  telemetry?: TelemetrySettings;
};

/** Options of `TokenomicsCache.sqlite`: the SQLite file, the engine options and the adapter's own. */
export type TokenomicsSqliteCacheOptions = CreateSqliteCacheOptions &
  Omit<TokenomicsCacheOptions, 'engine' | 'store' | 'vectorIndex'>;

export type TokenomicsCacheEvent = {
  traceId: string;
  type: 'hit' | 'miss' | 'bypass' | 'store' | 'skip-store' | 'error';
  kind?: 'exact' | 'semantic';
  similarity?: number;
  reason?: string;
  scope?: Scope;
  steps: TraceStep[];
};

/** The outcome of `lookupRequest`: a stored answer and how it matched, or nothing. */
export type RequestLookup =
  | {
      status: 'hit';
      response: CachedResponse;
      hit: TokenomicsHitMetadata;
      event: TokenomicsCacheEvent;
      /** The key of the entry that answered. */
      key?: string;
    }
  | {
      status: 'miss';
      /**
       * The exact key of the scoped request, when the engine answered (absent after a failed
       * lookup): calls in flight under the same key can share one model call.
       */
      key?: string;
      event: TokenomicsCacheEvent;
    }
  | { status: 'bypass'; event: TokenomicsCacheEvent };

/** The outcome of `storeRequestAnswer`: the event, and the answer as stored when it was. */
export type RequestStore = { event: TokenomicsCacheEvent; stored?: CachedResponse };

const MAX_PENDING = 512;
/**
 * Prompt and llm strings remembered with what they convert to. LangChain hands the cache the
 * same strings for the same call, so a repeated call skips parsing and hashing.
 */
export const PROMPT_MEMO_SIZE = 10_000;

/** What a (prompt, llm string) pair converts to under this cache's scope: a keyed request, or why not. */
type ConvertedPrompt = { request: TokenomicsRequest; key: string } | { lossy: string };

/**
 * One memoized conversion. The memo is keyed by the prompt string alone (no concatenated key
 * to build and hash on every call); the llm string and the scope are compared on each read.
 */
type PromptMemoRow = { scope: string; llmString: string; converted: ConvertedPrompt };
/** Llm strings (models, settings) remembered per prompt; the oldest goes first. */
const LLM_STRINGS_PER_PROMPT = 8;

/**
 * A LangChain `BaseCache` backed by the Tokenomics cache engine: exact hits, then semantic
 * hits within the same scope, model, settings, system prompt and tools.
 *
 * Use it as any chat model's `cache`. LangChain hands a cache only a text rendering of the
 * conversation, in which images and files show as `[image]`/`[file]` and LangChain tool
 * objects lose their schema; such calls bypass the cache (they could not be told apart).
 * `withStreamingCache` sees the real messages and caches them too, and serves `.stream()`.
 */
export class TokenomicsCache extends BaseCache<Generation[]> {
  readonly engine: CacheEngine;
  readonly scope: Scope | undefined;
  private readonly options: TokenomicsCacheOptions;
  private readonly pending: Map<string, PendingStore>;
  private readonly promptMemo = new LruMap<string, PromptMemoRow[]>(PROMPT_MEMO_SIZE);
  /** The scope as text, part of every memo key: a memoized key is never used under another scope. */
  private readonly scopeMemoKey: string;

  constructor(options: TokenomicsCacheOptions = {}) {
    super();
    this.options = options;
    const {
      engine,
      scope: _scope,
      tags: _tags,
      onEvent: _onEvent,
      telemetry: _telemetry,
      ...engineOptions
    } = options;
    this.engine = engine ?? new SemanticCache(engineOptions);
    // A copy: the scope is part of every key and memo entry, so it must not change afterwards.
    this.scope = options.scope ? Object.freeze({ ...options.scope }) : undefined;
    this.scopeMemoKey = JSON.stringify([this.scope?.tenant, this.scope?.user, this.scope?.namespace]);
    this.pending = new Map();
  }

  /**
   * A cache persisted in one SQLite file (entries and vectors), so exact and semantic hits
   * survive a restart. Needs the `better-sqlite3` package installed; `close()` saves and closes.
   */
  static async sqlite(options: TokenomicsSqliteCacheOptions): Promise<TokenomicsCache> {
    const { scope, tags, onEvent, telemetry, ...engineOptions } = options;
    const engine = await createSqliteCache(engineOptions);
    return new TokenomicsCache({
      engine,
      scope,
      tags,
      onEvent,
      telemetry,
      ttlMs: options.ttlMs,
      onWarning: options.onWarning,
    });
  }

  /** The same cache (same engine and entries) seen by another tenant, user or namespace. */
  withScope(scope: Scope): TokenomicsCache {
    return new TokenomicsCache({ ...this.options, engine: this.engine, scope: { ...this.scope, ...scope } });
  }

  async lookup(prompt: string, llmString: string): Promise<Generation[] | null> {
    const converted = this.convertPromptString(prompt, llmString);
    if ('lossy' in converted) {
      this.reportBypass(converted.lossy);
      return null;
    }
    const outcome = await this.lookupScoped(converted.request, converted.key);
    return outcome.status === 'hit' ? [toChatGeneration(outcome.response, outcome.hit)] : null;
  }

  async update(prompt: string, llmString: string, generations: Generation[]): Promise<void> {
    const converted = this.convertPromptString(prompt, llmString);
    if ('lossy' in converted) return;
    const [generation] = generations;
    // One stored answer per request: a call asking for several completions is not cached.
    if (!generation || generations.length !== 1) return;
    await this.storeScoped(converted.request, generation, converted.key);
  }

  /**
   * Looks a converted request up. Never throws: an engine failure is a miss with an `error`
   * event, so the model is called as if there were no cache.
   */
  lookupRequest(request: TokenomicsRequest, signal?: AbortSignal): Promise<RequestLookup> {
    return this.lookupScoped(this.scoped(request), undefined, signal);
  }

  /** `key`, when given, is `exactKey(scoped)` (from the prompt memo). */
  private async lookupScoped(
    scoped: TokenomicsRequest,
    key: string | undefined,
    signal?: AbortSignal,
  ): Promise<RequestLookup> {
    const traceId = newTraceId();
    try {
      const result = await traceCacheLookup(this.options.telemetry, scoped, () =>
        this.engine.lookup(scoped, { signal, exactKey: key }),
      );
      if (result.status === 'hit') {
        const hit: TokenomicsHitMetadata = {
          cached: true,
          kind: result.kind,
          traceId,
          savedUsage: result.response.usage,
          ...(result.similarity === undefined ? {} : { similarity: result.similarity }),
        };
        const event = this.emit({
          traceId,
          type: 'hit',
          kind: result.kind,
          similarity: result.similarity,
          scope: scoped.scope,
          steps: [result.trace],
        });
        return { status: 'hit', response: result.response, hit, event, key: result.key };
      }
      if (result.status === 'bypass') {
        const event = this.emit({
          traceId,
          type: 'bypass',
          reason: result.reason,
          scope: scoped.scope,
          steps: [result.trace],
        });
        return { status: 'bypass', event };
      }
      const missKey = key ?? result.pending?.key ?? exactKey(scoped);
      if (result.pending) this.rememberPending(missKey, result.pending);
      const event = this.emit({ traceId, type: 'miss', scope: scoped.scope, steps: [result.trace] });
      return { status: 'miss', key: missKey, event };
    } catch (error) {
      this.warn({
        code: 'cache-lookup-failed',
        message: 'Cache lookup failed; calling the model.',
        cause: error,
      });
      const event = this.emit({
        traceId,
        type: 'error',
        reason: errorMessage(error),
        scope: scoped.scope,
        steps: [],
      });
      return { status: 'miss', event };
    }
  }

  /** Stores a generation for a converted request, unless it must not be cached. Never throws. */
  async storeRequest(request: TokenomicsRequest, generation: Generation): Promise<TokenomicsCacheEvent> {
    return (await this.storeScoped(this.scoped(request), generation)).event;
  }

  /**
   * `storeRequest`, also returning the answer as it was stored (when it was), so calls waiting
   * for the same request can be answered from it. Never throws.
   */
  storeRequestAnswer(request: TokenomicsRequest, generation: Generation): Promise<RequestStore> {
    return this.storeScoped(this.scoped(request), generation);
  }

  private async storeScoped(
    scoped: TokenomicsRequest,
    generation: Generation,
    key?: string,
  ): Promise<RequestStore> {
    const traceId = newTraceId();
    const converted = toCachedResponse(generation);
    if ('refused' in converted) {
      const event = this.emit({
        traceId,
        type: 'skip-store',
        reason: converted.refused,
        scope: scoped.scope,
        steps: [],
      });
      return { event };
    }
    try {
      const outcome = await this.engine.store(scoped, converted.response, {
        ttlMs: this.options.ttlMs,
        tags: this.options.tags,
        pending: this.takePending(key ?? exactKey(scoped)),
      });
      const event = this.emit({
        traceId,
        type: outcome.stored ? 'store' : 'skip-store',
        reason: outcome.stored ? undefined : outcome.reason,
        scope: scoped.scope,
        steps: [outcome.trace],
      });
      return outcome.stored ? { event, stored: converted.response } : { event };
    } catch (error) {
      this.warn({
        code: 'cache-store-failed',
        message: 'Storing the answer in the cache failed.',
        cause: error,
      });
      const event = this.emit({
        traceId,
        type: 'error',
        reason: errorMessage(error),
        scope: scoped.scope,
        steps: [],
      });
      return { event };
    }
  }

  /** Records a call that is not cached because it could not be keyed faithfully. */
  reportBypass(reason: string): TokenomicsCacheEvent {
    const step: TraceStep = { stage: 'cache', decision: 'bypass', reason };
    return this.emit({ traceId: newTraceId(), type: 'bypass', reason, scope: this.scope, steps: [step] });
  }

  /** Removes entries by tag, scope or key; returns how many were removed. */
  invalidate(what: Invalidation): Promise<number> {
    return this.engine.invalidate(what);
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /**
   * The scoped request and exact key of a prompt string, or why it cannot be cached. Both depend
   * only on the two strings and the scope, so they are memoized; the memoized request is frozen
   * so nothing can change it between calls.
   */
  private convertPromptString(prompt: string, llmString: string): ConvertedPrompt {
    const rows = this.promptMemo.get(prompt);
    if (rows) {
      for (const row of rows)
        if (row.llmString === llmString && row.scope === this.scopeMemoKey) return row.converted;
    }
    let converted: ConvertedPrompt;
    try {
      const read = this.readPromptString(prompt, llmString);
      if ('lossy' in read) converted = read;
      else {
        const scoped = deepFreeze(this.scoped(read.request));
        converted = { request: scoped, key: exactKey(scoped) };
      }
    } catch (error) {
      converted = { lossy: `conversion-failed: ${errorMessage(error)}` };
    }
    const row: PromptMemoRow = { scope: this.scopeMemoKey, llmString, converted };
    if (!rows) this.promptMemo.set(prompt, [row]);
    else {
      rows.push(row);
      if (rows.length > LLM_STRINGS_PER_PROMPT) rows.shift();
    }
    return converted;
  }

  private readPromptString(
    prompt: string,
    llmString: string,
  ): { request: TokenomicsRequest } | { lossy: string } {
    const params = parseLlmString(llmString);
    if (!params) return { lossy: 'llm-string-unreadable' };
    const modelParams = modelParamsFrom(params);
    if (modelParams.lossy) return { lossy: modelParams.lossy };
    const parsed = messagesFromPromptString(prompt);
    if (parsed.lossy) return { lossy: parsed.lossy };
    const request: TokenomicsRequest = {
      model: modelParams.model,
      messages: parsed.messages,
      settings: modelParams.settings,
    };
    if (modelParams.tools) request.tools = modelParams.tools;
    if (modelParams.toolChoice) request.toolChoice = modelParams.toolChoice;
    return { request };
  }

  private scoped(request: TokenomicsRequest): TokenomicsRequest {
    if (!this.scope) return request;
    return { ...request, scope: { ...request.scope, ...this.scope } };
  }

  private rememberPending(key: string, pending: PendingStore): void {
    this.pending.delete(key);
    this.pending.set(key, pending);
    // Misses that are never stored (model errors) must not pile up.
    if (this.pending.size > MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
  }

  private takePending(key: string): PendingStore | undefined {
    const pending = this.pending.get(key);
    this.pending.delete(key);
    return pending;
  }

  private emit(event: TokenomicsCacheEvent): TokenomicsCacheEvent {
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      this.warn({
        code: 'cache-event-listener-failed',
        message: 'The onEvent listener threw.',
        cause: error,
      });
    }
    return event;
  }

  private warn(warning: CacheWarning): void {
    if (this.options.onWarning) this.options.onWarning(warning);
    else console.warn(`[tokenomics] ${warning.message}`, warning.cause ?? '');
  }
}

function newTraceId(): string {
  return globalThis.crypto.randomUUID();
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
