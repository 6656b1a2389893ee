import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { type ChatGeneration, ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { Scope, TokenomicsRequest } from '@tokenomics/core';
import { asChunkGeneration, convertMessagesAndOptions } from '@tokenomics/langchain-common';
import { toChatGeneration, toMessageChunks } from './generation-codec';
import type { TokenomicsCache, TokenomicsCacheEvent } from './tokenomics-cache';

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
};

/**
 * A chat model that serves calls from a `TokenomicsCache` before delegating to another model,
 * for `invoke`, `batch` and `.stream()` alike (LangChain's own `cache` field skips streaming).
 *
 * It converts the real messages, so images, files and tool objects are keyed by content
 * instead of by LangChain's lossy prompt text. A hit on `.stream()` replays the stored answer
 * as chunks (text, then tool-call chunks); a miss streams the model and stores the assembled
 * answer only when the stream ran to its end (an aborted or failed stream stores nothing).
 */
export class CachedChatModel extends BaseChatModel<CachedChatModelCallOptions, AIMessageChunk> {
  readonly model: BaseChatModel;
  /** Not `cache`: that field would also switch on LangChain's own (prompt-string) cache path. */
  readonly tokenomicsCache: TokenomicsCache;
  private boundConfig: Record<string, unknown>;
  private boundKwargs: Record<string, unknown>;

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
  }

  override _llmType(): string {
    return 'tokenomics-cached';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<CachedChatModelCallOptions>): CachedChatModel {
    if (typeof this.model.bindTools !== 'function')
      throw new Error(`${this.model.getName()} does not support tool binding.`);
    const bound = unwrapBindings(this.model.bindTools(tools, kwargs));
    const model = new CachedChatModel({ model: bound.model, cache: this.tokenomicsCache });
    model.boundConfig = { ...this.boundConfig, ...bound.config };
    model.boundKwargs = { ...this.boundKwargs, ...bound.kwargs };
    return model;
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const { scope, callOptions } = this.withoutScope(this.callOptions(options));
    const converted = await this.convert(messages, callOptions, scope, runManager);
    if (converted.request) {
      const lookup = await this.tokenomicsCache.lookupRequest(converted.request, options.signal);
      await this.report(runManager, lookup.event);
      if (lookup.status === 'hit')
        return { generations: [asChunkGeneration(toChatGeneration(lookup.response, lookup.hit))] };
    }
    const message = (await this.model.invoke(messages, this.innerOptions(callOptions))) as BaseMessage;
    const generation = asChunkGeneration({ text: message.text, message });
    if (converted.request && !options.signal?.aborted) {
      await this.report(runManager, await this.tokenomicsCache.storeRequest(converted.request, generation));
    }
    return { generations: [generation] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const { scope, callOptions } = this.withoutScope(this.callOptions(options));
    const converted = await this.convert(messages, callOptions, scope, runManager);
    if (converted.request) {
      const lookup = await this.tokenomicsCache.lookupRequest(converted.request, options.signal);
      await this.report(runManager, lookup.event);
      if (lookup.status === 'hit') {
        for (const message of toMessageChunks(lookup.response, lookup.hit)) {
          const chunk = new ChatGenerationChunk({ text: message.text, message });
          yield chunk;
          if (chunk.text)
            await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, {
              chunk,
            });
        }
        return;
      }
    }
    let assembled: AIMessageChunk | undefined;
    const stream = await this.model.stream(messages, this.innerOptions(callOptions));
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
    if (converted.request && assembled && !options.signal?.aborted) {
      const generation: ChatGeneration = { text: assembled.text, message: assembled };
      await this.report(runManager, await this.tokenomicsCache.storeRequest(converted.request, generation));
    }
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
   * This model reports the call (tokens, events) itself; the inner model gets an explicit empty
   * handler list, so handlers it could inherit from an enclosing run (async-local config, as
   * LangGraph sets up) do not see every token a second time.
   */
  private innerOptions(callOptions: Record<string, unknown>): Record<string, unknown> {
    return { ...callOptions, callbacks: [] };
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
export function withStreamingCache(model: BaseChatModel | Runnable, cache: TokenomicsCache): CachedChatModel {
  return new CachedChatModel({ model, cache });
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
