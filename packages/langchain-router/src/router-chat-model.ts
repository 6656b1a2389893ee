import type { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { type ChatGeneration, ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import type {
  CallTier,
  RouteDecision,
  RouteExplanation,
  RouteResult,
  RouterEngine,
  Scope,
  TierAnswer,
  TokenomicsRequest,
  TraceListener,
  TraceSink,
} from '@tokenomics/core';
import {
  ROUTE_METADATA_KEY,
  type RouteMetadata,
  type RouterEngineSettings,
  StreamCommittedError,
  type TelemetrySettings,
  traceRoute,
} from '@tokenomics/core';
import { finishTrace, resolveRouterEngine, routeMetadata } from '@tokenomics/core/internal';
import {
  asChunkGeneration,
  childCallbacks,
  innerLsParams,
  toTokenomicsRequest,
} from '@tokenomics/langchain-common';
import { AsyncChannel } from './async-channel';
import { type ChatTier, type ChatTierInput, toChatTiers } from './chat-tiers';
import { messageAnswer } from './message-answer';
import { toUsageMetadata, usageBeyond } from './usage-metadata';

/** The name of the custom callback event that carries each call's route metadata. */
export const TOKENOMICS_ROUTE_EVENT = 'tokenomics_route';

export type RouterChatModelCallOptions = BaseChatModelCallOptions & {
  /** Tools bound with `bindTools`; every tier gets them through its own `bindTools`. */
  tools?: BindToolsInput[];
  /** Passed to each tier's `bindTools` with the tools (e.g. 'auto', 'any', a tool name). */
  tool_choice?: unknown;
  /** Scope of this call (e.g. the user), recorded in the ledger and the trace; the router's own scope wins on conflict. */
  routerScope?: Scope;
  /**
   * Set by the router itself: the decision made before the run started, so the run's LangSmith
   * params name the chosen tier. Not for callers.
   */
  routerDecision?: RouteDecision;
};

/**
 * How `.stream()` behaves:
 * - `'live'`: the chosen tier's chunks are passed on as they arrive. A tier that fails before its
 *   first chunk falls back to another tier; one that fails mid-answer fails the stream.
 * - `'after-review'`: each tier's answer is streamed in the background and held until the policy
 *   accepts it; then the accepted answer's chunks are passed on. A cascade needs this, since
 *   chunks already shown cannot be taken back when it escalates.
 * Default: `'after-review'` when the policy reviews answers (a cascade), else `'live'`.
 */
export type RouterStreamingMode = 'live' | 'after-review';

export type RouterChatModelFields = BaseChatModelParams &
  RouterEngineSettings & {
    /** Two or more chat models, in any order; the router sorts them by price, cheapest first. */
    tiers: ChatTierInput[];
    /** Scope of every call, recorded in the ledger and the trace. */
    scope?: Scope;
    /**
     * A mode for `.stream()`; or `true`, which also makes `invoke` stream its tier (token callbacks
     * fire as tokens arrive), live unless the policy reviews answers. Default: the policy's mode.
     */
    streaming?: RouterStreamingMode | boolean;
    /**
     * Handlers for the tier runs (each tier call, rejected cascade answers included). The caller's
     * own callbacks see the router's run only; a LangSmith tracer sees both, nested.
     */
    tierCallbacks?: BaseCallbackHandler[];
    /** Each finished decision trace (route, attempts, escalations, errors, ledger) goes to these. */
    traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
    /**
     * OpenTelemetry: each call is a `tokenomics.route` span (chosen tier, escalation, cost against
     * the baseline) with a `chat <model>` span per tier call. Default: recorded through
     * `@opentelemetry/api` when installed; `isEnabled: false` turns it off.
     */
    telemetry?: TelemetrySettings;
  };

/**
 * A chat model that routes each call to one of several chat models ("tiers"): the policy picks
 * a tier (classifier prior, bandit, fixed), a cascade reviews the cheap answer and escalates when
 * it falls short, a failing tier falls back to another. The engine is `@tokenomics/core`'s
 * router; this class converts LangChain calls to its request model and back.
 *
 * The returned message carries `response_metadata.tokenomics` (route, cost, trace id); give a
 * rating with `router.feedback(traceId, score)`. Tier calls run as child runs of the router's
 * run, so tracers show them nested.
 */
export class RouterChatModel extends BaseChatModel<RouterChatModelCallOptions, AIMessageChunk> {
  readonly engine: RouterEngine;
  readonly streamingMode: RouterStreamingMode;
  /** `streaming: true`: `invoke` streams its tier too. */
  readonly streaming: boolean;
  private readonly chatTiers: Map<string, ChatTier>;
  private readonly tierCallbacks: readonly BaseCallbackHandler[];
  private readonly scope: Scope | undefined;
  private readonly traceSinks: ReadonlyArray<TraceSink | TraceListener>;
  private readonly telemetry: TelemetrySettings | undefined;

  static override lc_name(): string {
    return 'RouterChatModel';
  }

  constructor(fields: RouterChatModelFields) {
    super(fields);
    const tiers = toChatTiers(fields.tiers);
    this.chatTiers = new Map(tiers.map((tier) => [tier.tier.id, tier]));
    const { engine, reviews } = resolveRouterEngine(
      tiers.map((tier) => tier.tier),
      fields,
    );
    this.engine = engine;
    const mode = typeof fields.streaming === 'string' ? fields.streaming : undefined;
    this.streamingMode = mode ?? (reviews ? 'after-review' : 'live');
    this.streaming = fields.streaming === true;
    this.tierCallbacks = fields.tierCallbacks ?? [];
    this.scope = fields.scope;
    this.traceSinks = fields.traceSinks ?? [];
    this.telemetry = fields.telemetry;
  }

  override _llmType(): string {
    return 'tokenomics-router';
  }

  override _identifyingParams(): Record<string, unknown> {
    return { model: 'router', tiers: [...this.chatTiers.values()].map((tier) => tier.tier.model) };
  }

  /**
   * LangSmith's params of the tier the router chose for this call (its model name and provider,
   * as that chat model reports them), so a trace is priced and labelled by the model that ran.
   * Without a decision (a direct `generate` call) they are the cheapest tier's.
   */
  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    const tierId = options.routerDecision?.tier.id ?? this.engine.tiers[0]?.id;
    const tier = (tierId && this.chatTiers.get(tierId)) || [...this.chatTiers.values()][0];
    if (!tier) return { ls_model_type: 'chat', ls_stop: options.stop };
    return innerLsParams(tier.model, options, tier.tier.model);
  }

  /** Decides first, so the run is labelled with the chosen tier (`getLsParams`), then runs. */
  override async invoke(
    input: BaseLanguageModelInput,
    options?: Partial<RouterChatModelCallOptions>,
  ): Promise<AIMessageChunk> {
    return super.invoke(input, await this.withDecision(input, options));
  }

  override async *_streamIterator(
    input: BaseLanguageModelInput,
    options?: Partial<RouterChatModelCallOptions>,
  ): AsyncGenerator<AIMessageChunk> {
    yield* super._streamIterator(input, await this.withDecision(input, options));
  }

  /**
   * Structured output through tool calling on every tier, as the base model does, recording
   * `ls_structured_output_format` on the run as provider chat models do.
   */
  override withStructuredOutput(
    outputSchema: Parameters<BaseChatModel['withStructuredOutput']>[0],
    config?: StructuredOutputMethodOptions<boolean>,
  ) {
    const format = {
      kwargs: { method: config?.method ?? 'functionCalling' },
      schema: toJsonSchema(outputSchema as Record<string, unknown>),
    };
    // The base implementation binds the schema through `this.bindTools`; this view adds the format there.
    const view = Object.create(this) as RouterChatModel;
    view.bindTools = (tools, kwargs) =>
      this.bindTools(tools, {
        ...kwargs,
        ls_structured_output_format: format,
      } as Partial<RouterChatModelCallOptions>);
    return BaseChatModel.prototype.withStructuredOutput.call(view, outputSchema, config as never);
  }

  /**
   * Binds tools on every tier: the tools travel as a call option and each tier gets them through
   * its own `bindTools` at call time, so LangGraph and `withStructuredOutput` see an ordinary
   * bound chat model.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<RouterChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, RouterChatModelCallOptions> {
    for (const tier of this.chatTiers.values()) {
      if (typeof tier.model.bindTools !== 'function')
        throw new Error(`Tier '${tier.tier.id}' (${tier.model.getName()}) does not support tool binding.`);
    }
    return this.withConfig({ tools, ...kwargs } as Partial<RouterChatModelCallOptions>);
  }

  /** A user's rating (0..1) of the answer with this trace id; learning policies learn from it. */
  feedback(traceId: string, score: number): Promise<boolean> {
    return this.engine.feedback(traceId, score);
  }

  /** The numbers behind a decision, while the engine still remembers it. */
  explain(traceId: string): RouteExplanation | undefined {
    return this.engine.explain(traceId);
  }

  override async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    if (this.streaming) return this.generateByStreaming(messages, options, runManager);
    const call = this.prepare(messages, options);
    const produced = new Map<TierAnswer, BaseMessage>();
    const callTier: CallTier = async (tier, _request, context) => {
      const model = this.tierRunnable(tier.id, call.options);
      const message = (await model.invoke(
        messages,
        this.tierConfig(tier.id, call.options, runManager, context.signal),
      )) as BaseMessage;
      const answer = messageAnswer(message);
      produced.set(answer, message);
      return answer;
    };
    const result = await traceRoute(this.telemetry, call.request, callTier, (traced) =>
      this.engine.run(call.request, traced, this.runOptions(options, options.signal)),
    );
    const message = produced.get(result.answer);
    if (!message) throw new Error('The router engine returned an answer no tier produced.');
    finishTrace(result.trace, { sinks: this.traceSinks });
    const metadata = routeMetadata(result);
    const generation = withRoute(asChunkGeneration({ text: message.text, message }), metadata);
    // Everything the run spent: an escalated cascade paid for both tiers' calls.
    const usage = toUsageMetadata(result.usage.total);
    if (usage) (generation.message as AIMessageChunk).usage_metadata = usage;
    await runManager?.handleCustomEvent(TOKENOMICS_ROUTE_EVENT, metadata);
    return { generations: [generation] };
  }

  /** `streaming: true`: `invoke` streams, so token callbacks fire as the answer arrives. */
  private async generateByStreaming(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let whole: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      whole = whole ? whole.concat(chunk) : chunk;
    }
    if (!whole) throw new Error('The router produced no answer.');
    return { generations: [whole] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const call = this.prepare(messages, options);
    const live = this.streamingMode === 'live';
    const channel = new AsyncChannel<AIMessageChunk>();
    const recorded = new Map<TierAnswer, AIMessageChunk[]>();
    // Live mode: once a tier's chunk has been passed on, no other tier may answer this call.
    let committed: { tierId: string; failed?: unknown } | undefined;

    const callTier: CallTier = async (tier, _request, context) => {
      const passOn = live && context.purpose === 'answer';
      if (passOn && committed) {
        throw new StreamCommittedError(committed.tierId, committed.failed);
      }
      const model = this.tierRunnable(tier.id, call.options);
      const chunks: AIMessageChunk[] = [];
      let passedOn = 0;
      try {
        const stream = await model.stream(
          messages,
          this.tierConfig(tier.id, call.options, runManager, context.signal),
        );
        for await (const chunk of stream) {
          if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
          const messageChunk = chunk as AIMessageChunk;
          chunks.push(messageChunk);
          // Empty leading chunks (a provider's role or metadata chunk) wait, so a tier that fails
          // before saying anything leaves nothing behind and another tier can still take over.
          if (passOn && (committed || hasContent(messageChunk))) {
            committed ??= { tierId: tier.id };
            for (; passedOn < chunks.length; passedOn++) channel.push(chunks[passedOn] as AIMessageChunk);
          }
        }
      } catch (error) {
        if (committed?.tierId === tier.id) committed.failed = error;
        throw error;
      }
      const answer = messageAnswer(concatChunks(chunks));
      recorded.set(answer, chunks.slice(passedOn));
      return answer;
    };

    // A consumer that stops reading early stops the tier calls still running behind it.
    const abort = new AbortController();
    const forwardAbort = () => abort.abort(options.signal?.reason);
    if (options.signal?.aborted) forwardAbort();
    else options.signal?.addEventListener('abort', forwardAbort, { once: true });
    let result: RouteResult | undefined;
    const running = traceRoute(this.telemetry, call.request, callTier, (traced) =>
      this.engine.run(call.request, traced, this.runOptions(options, abort.signal)),
    ).then(
      (routed) => {
        result = routed;
        channel.close();
      },
      (error: unknown) => channel.fail(committed?.failed ?? error),
    );

    try {
      for await (const chunk of channel) {
        yield await this.emit(chunk, runManager);
      }
      await running;
    } finally {
      options.signal?.removeEventListener('abort', forwardAbort);
      if (!result) abort.abort(new Error('The stream was closed before the router finished.'));
    }
    if (!result) return;
    // What the accepted tier produced and was not passed on yet: all of it after review, and
    // in live mode the empty chunks of an answer that never got to any content.
    const chunks = recorded.get(result.answer);
    if (!chunks) throw new Error('The router engine returned an answer no tier produced.');
    for (const chunk of chunks) yield await this.emit(chunk, runManager);
    finishTrace(result.trace, { sinks: this.traceSinks });
    // The route is known only now: it travels on a last, empty chunk that the caller's
    // concatenated message merges into its response_metadata, with the usage of every call the
    // chunks shown so far did not carry (a rejected answer, an extra sample).
    const metadata = routeMetadata(result);
    const unshown = toUsageMetadata(usageBeyond(result.usage.total, result.answer.usage));
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({
        content: '',
        response_metadata: { [ROUTE_METADATA_KEY]: metadata },
        ...(unshown ? { usage_metadata: unshown } : {}),
      }),
      generationInfo: { [ROUTE_METADATA_KEY]: metadata },
    });
    await runManager?.handleCustomEvent(TOKENOMICS_ROUTE_EVENT, metadata);
  }

  private async emit(
    messageChunk: AIMessageChunk,
    runManager: CallbackManagerForLLMRun | undefined,
  ): Promise<ChatGenerationChunk> {
    // A fresh chunk: LangChain sets ids and merges metadata on what it yields, and the tier's
    // own chunks are also held in the recording.
    const copy = new AIMessageChunk({
      content: messageChunk.content,
      tool_call_chunks: messageChunk.tool_call_chunks,
      additional_kwargs: messageChunk.additional_kwargs,
      response_metadata: messageChunk.response_metadata,
      usage_metadata: messageChunk.usage_metadata,
    });
    const chunk = new ChatGenerationChunk({ text: copy.text, message: copy });
    if (chunk.text)
      await runManager?.handleLLMNewToken(chunk.text, undefined, undefined, undefined, undefined, { chunk });
    return chunk;
  }

  private prepare(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): { request: TokenomicsRequest; options: Record<string, unknown> } {
    const {
      promptIndex: _promptIndex,
      routerScope,
      routerDecision: _routerDecision,
      ...rest
    } = options as Record<string, unknown> & {
      routerScope?: Scope;
    };
    const scope = mergeScopes(this.scope, routerScope);
    const request = toTokenomicsRequest(messages, { callOptions: rest, scope });
    request.model = 'router';
    return { request, options: rest };
  }

  /** The call options with the router's decision for this input, made before the run starts. */
  private async withDecision(
    input: BaseLanguageModelInput,
    options: Partial<RouterChatModelCallOptions> | undefined,
  ): Promise<Partial<RouterChatModelCallOptions>> {
    const [, callOptions] = this._separateRunnableConfigFromCallOptionsCompat(options ?? {});
    const messages = RouterChatModel._convertInputToPromptValue(input).toChatMessages();
    const decision = await this.engine.decide(
      this.prepare(messages, callOptions as this['ParsedCallOptions']).request,
    );
    return { ...options, routerDecision: decision };
  }

  private runOptions(options: this['ParsedCallOptions'], signal: AbortSignal | undefined) {
    return {
      ...(signal ? { signal } : {}),
      ...(options.routerDecision ? { decision: options.routerDecision } : {}),
    };
  }

  /** The tier's model, with the call's tools bound through its own `bindTools`. */
  private tierRunnable(tierId: string, options: Record<string, unknown>): Runnable {
    const tier = this.chatTiers.get(tierId);
    if (!tier) throw new Error(`The router engine asked for an unknown tier '${tierId}'.`);
    const tools = options.tools as BindToolsInput[] | undefined;
    if (!tools || tools.length === 0) return tier.model;
    const bindOptions = options.tool_choice === undefined ? undefined : { tool_choice: options.tool_choice };
    return tier.model.bindTools!(tools, bindOptions as never);
  }

  /**
   * The tier runs as a child of the router's run, with its own handlers (see `childCallbacks`).
   * It is tagged `nostream` so LangGraph's message stream shows the router's chunks once.
   */
  private tierConfig(
    tierId: string,
    options: Record<string, unknown>,
    runManager: CallbackManagerForLLMRun | undefined,
    signal: AbortSignal | undefined,
  ): Record<string, unknown> {
    const {
      tools: _tools,
      tool_choice: _toolChoice,
      callbacks: _callbacks,
      runName: _runName,
      routerDecision: _routerDecision,
      ...rest
    } = options;
    return {
      ...rest,
      callbacks: childCallbacks(runManager, `tier:${tierId}`, this.tierCallbacks),
      tags: ['nostream', `tokenomics:tier:${tierId}`],
      runName: `tier:${tierId}`,
      ...(signal ? { signal } : {}),
    };
  }
}

function withRoute(generation: ChatGeneration, metadata: RouteMetadata): ChatGeneration {
  generation.message.response_metadata = {
    ...generation.message.response_metadata,
    [ROUTE_METADATA_KEY]: metadata,
  };
  return { ...generation, generationInfo: { ...generation.generationInfo, [ROUTE_METADATA_KEY]: metadata } };
}

function hasContent(chunk: AIMessageChunk): boolean {
  return chunk.text.length > 0 || (chunk.tool_call_chunks?.length ?? 0) > 0;
}

function concatChunks(chunks: AIMessageChunk[]): AIMessageChunk {
  let assembled = new AIMessageChunk({ content: '' });
  for (const chunk of chunks) assembled = assembled.concat(chunk);
  return assembled;
}

/** The configured scope wins on conflict: a call may add a user, never change its tenant. */
function mergeScopes(configured: Scope | undefined, perCall: Scope | undefined): Scope | undefined {
  if (!configured && !perCall) return undefined;
  const merged: Scope = { ...perCall };
  for (const field of ['tenant', 'user', 'namespace'] as const) {
    if (configured?.[field] !== undefined) merged[field] = configured[field];
  }
  return merged;
}
