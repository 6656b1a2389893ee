import type {
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type {
  CallTier,
  RouteExplanation,
  RouteResult,
  RouterEngine,
  Scope,
  TelemetrySettings,
  TierAnswer,
  TokenomicsRequest,
  TraceListener,
  TraceSink,
} from '@tokenomics/core';
import { type RouterEngineSettings, StreamCommittedError, traceRoute } from '@tokenomics/core';
import { finishTrace, resolveRouterEngine, routeMetadata } from '@tokenomics/core/internal';
import { cachedResponseFromGenerateResult, cachedResponseFromStreamParts } from '../cached-answer';
import { mergeScopes, readCallOptions } from '../call-options';
import { callTelemetry } from '../call-telemetry';
import type { AiCallOptions, AiLanguageModel } from '../installed-specification';
import { toTokenomicsRequest } from '../to-tokenomics-request';
import { callbacksForInstalledAi, modelForInstalledAi } from '../v3-bridge';
import {
  type LanguageModelTier,
  type RouterModelTier,
  tierCallOptions,
  toLanguageModelTiers,
} from './language-model-tiers';
import { withRouteMetadata } from './route-metadata';
import { totalUsage } from './total-usage';

/**
 * How `doStream` (and so `streamText`) behaves:
 * - `'live'`: the chosen tier's parts are passed on as they arrive. A tier that fails before its
 *   first content part falls back to another tier; one that fails mid-answer fails the stream.
 * - `'after-review'`: each tier's answer is streamed in the background and held until the policy
 *   accepts it; then the accepted answer's parts are passed on. A cascade needs this, since parts
 *   already shown cannot be taken back when it escalates.
 * Default: `'after-review'` when the policy reviews answers (a cascade), else `'live'`.
 */
export type RouterStreamingMode = 'live' | 'after-review';

export type RouterModelOptions = RouterEngineSettings & {
  /** Two or more language models, in any order; the router sorts them by price, cheapest first. */
  tiers: RouterModelTier[];
  /**
   * Who the calls belong to, recorded in the ledger and the trace. A function is called per call;
   * `providerOptions.tokenomics.scope` on a call may add fields; the configured ones win on conflict.
   */
  scope?: Scope | ((options: AiCallOptions) => Scope | undefined);
  streaming?: RouterStreamingMode;
  /** The router model's `provider`; default 'tokenomics'. Part of a cache key when cached. */
  provider?: string;
  /** The router model's `modelId`; default 'router'. */
  modelId?: string;
  /** Each finished decision trace (route, attempts, escalations, errors, ledger) goes to these. */
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
  /**
   * OpenTelemetry: each call is a `tokenomics.route` span with a `chat <model>` span per tier call.
   * Pass the object you give `generateText` as `experimental_telemetry`;
   * `providerOptions.tokenomics.telemetry` overrides it per call.
   */
  telemetry?: TelemetrySettings;
};

/** A language model that routes, plus handles on the engine behind it. */
export type RouterLanguageModel = AiLanguageModel & {
  readonly engine: RouterEngine;
  /** A user's rating (0..1) of the answer with this trace id (`route.traceId` in the metadata). */
  feedback(traceId: string, score: number): Promise<boolean>;
  /** The numbers behind a decision, while the engine still remembers it. */
  explain(traceId: string): RouteExplanation | undefined;
};

/**
 * A `LanguageModelV4` that routes each call to one of several language models ("tiers"): the
 * policy picks a tier (classifier prior, bandit, fixed), a cascade reviews the cheap answer and
 * escalates when it falls short, a failing tier falls back to another. Works with
 * `generateText`, `streamText`, structured output and tools, and under `wrapLanguageModel`
 * (e.g. the cache middleware in front of it). The route and its cost are in
 * `providerMetadata.tokenomics`.
 */
export function createRouterModel(input: RouterModelOptions): RouterLanguageModel {
  const options = callbacksForInstalledAi(input, ['scope']);
  const tiers = toLanguageModelTiers(options.tiers);
  const byId = new Map(tiers.map((tier) => [tier.tier.id, tier]));
  const { engine, reviews } = resolveRouterEngine(
    tiers.map((tier) => tier.tier),
    options,
  );
  const streamingMode = options.streaming ?? (reviews ? 'after-review' : 'live');
  const provider = options.provider ?? 'tokenomics';
  const modelId = options.modelId ?? 'router';
  const traceSinks = options.traceSinks ?? [];

  function requestOf(callOptions: LanguageModelV4CallOptions): TokenomicsRequest {
    const baseScope = typeof options.scope === 'function' ? options.scope(callOptions) : options.scope;
    const perCall = readCallOptions(callOptions);
    const scope = mergeScopes(baseScope, perCall.ok ? perCall.options.scope : undefined);
    return toTokenomicsRequest(callOptions, { provider, modelId }, scope);
  }

  function tierOf(tierId: string): LanguageModelTier {
    const tier = byId.get(tierId);
    if (!tier) throw new Error(`The router engine asked for an unknown tier '${tierId}'.`);
    return tier;
  }

  async function doGenerate(callOptions: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const produced = new Map<TierAnswer, LanguageModelV4GenerateResult>();
    const spent: LanguageModelV4Usage[] = [];
    const callTier: CallTier = async (tier, _request, context) => {
      const languageModelTier = tierOf(tier.id);
      const result = await languageModelTier.model.doGenerate(
        tierCallOptions(callOptions, languageModelTier, context.signal),
      );
      spent.push(result.usage);
      const answer = withLogprobs(cachedResponseFromGenerateResult(result), result.providerMetadata);
      produced.set(answer, result);
      return answer;
    };
    const request = requestOf(callOptions);
    const routed = await traceRoute(
      callTelemetry(options.telemetry, callOptions),
      request,
      callTier,
      (traced) => engine.run(request, traced, { signal: callOptions.abortSignal }),
    );
    const result = produced.get(routed.answer);
    if (!result) throw new Error('The router engine returned an answer no tier produced.');
    finishTrace(routed.trace, { sinks: traceSinks });
    return {
      ...result,
      usage: totalUsage(spent) ?? result.usage,
      providerMetadata: withRouteMetadata(result.providerMetadata, routeMetadata(routed)),
    };
  }

  async function doStream(callOptions: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const request = requestOf(callOptions);
    const live = streamingMode === 'live';
    const recordings = new Map<TierAnswer, Recording>();
    const spent: LanguageModelV4Usage[] = [];
    let committed: { tierId: string; failed?: unknown } | undefined;
    // Cancelling the returned stream stops the tier calls still running behind it.
    const abort = new AbortController();
    const forwardAbort = () => abort.abort(callOptions.abortSignal?.reason);
    if (callOptions.abortSignal?.aborted) forwardAbort();
    else callOptions.abortSignal?.addEventListener('abort', forwardAbort, { once: true });
    let open = true;
    let controller!: ReadableStreamDefaultController<LanguageModelV4StreamPart>;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      start(streamController) {
        controller = streamController;
      },
      cancel(reason) {
        open = false;
        abort.abort(reason);
      },
    });
    const output = {
      enqueue(part: LanguageModelV4StreamPart): void {
        if (open) controller.enqueue(part);
      },
      close(): void {
        if (!open) return;
        open = false;
        callOptions.abortSignal?.removeEventListener('abort', forwardAbort);
        controller.close();
      },
    };

    const callTier: CallTier = async (tier, _request, context) => {
      const passOn = live && context.purpose === 'answer';
      if (passOn && committed) throw new StreamCommittedError(committed.tierId, committed.failed);
      const languageModelTier = tierOf(tier.id);
      const { stream: tierStream } = await languageModelTier.model.doStream(
        tierCallOptions(callOptions, languageModelTier, context.signal),
      );
      const recording: Recording = { parts: [], passedOn: 0 };
      try {
        for await (const part of tierStream as unknown as AsyncIterable<LanguageModelV4StreamPart>) {
          // Stops reading (and so cancels) the tier's stream when the caller went away.
          if (context.signal?.aborted) throw context.signal.reason ?? new Error('aborted');
          if (part.type === 'error') throw toError(part.error);
          recording.parts.push(part);
          // Parts before the first content part (stream start, response metadata) wait, so a
          // tier that fails before answering leaves nothing behind and another can take over.
          if (passOn && (committed || isContentPart(part))) {
            committed ??= { tierId: tier.id };
            passOnNew(recording);
          }
        }
      } catch (error) {
        if (committed?.tierId === tier.id) committed.failed = error;
        throw error;
      }
      const answer = cachedResponseFromStreamParts(recording.parts);
      if (!answer) throw new Error(`Tier '${tier.id}' ended its stream without a finish part.`);
      const finish = recording.parts.findLast((part) => part.type === 'finish');
      if (finish?.type === 'finish') spent.push(finish.usage);
      const scored = withLogprobs(answer, finish?.type === 'finish' ? finish.providerMetadata : undefined);
      recordings.set(scored, recording);
      return scored;
    };

    function passOnNew(recording: Recording): void {
      for (; recording.passedOn < recording.parts.length; recording.passedOn++) {
        const part = recording.parts[recording.passedOn] as LanguageModelV4StreamPart;
        // The finish part waits for the route: it carries the route metadata.
        if (part.type !== 'finish') output.enqueue(part);
      }
    }

    function finish(routed: RouteResult): void {
      const recording = recordings.get(routed.answer);
      if (!recording) throw new Error('The router engine returned an answer no tier produced.');
      finishTrace(routed.trace, { sinks: traceSinks });
      passOnNew(recording);
      const finishPart = recording.parts.findLast((part) => part.type === 'finish');
      if (finishPart?.type === 'finish') {
        output.enqueue({
          ...finishPart,
          usage: totalUsage(spent) ?? finishPart.usage,
          providerMetadata: withRouteMetadata(finishPart.providerMetadata, routeMetadata(routed)),
        });
      }
      output.close();
    }

    traceRoute(callTelemetry(options.telemetry, callOptions), request, callTier, (traced) =>
      engine.run(request, traced, { signal: abort.signal }),
    ).then(
      (routed) => {
        try {
          finish(routed);
        } catch (error) {
          output.enqueue({ type: 'error', error });
          output.close();
        }
      },
      (error: unknown) => {
        output.enqueue({ type: 'error', error: committed?.failed ?? error });
        output.close();
      },
    );
    return { stream };
  }

  return modelForInstalledAi({
    specificationVersion: 'v4',
    provider,
    modelId,
    // URLs are downloaded by the AI SDK and sent as data: every tier can read that.
    supportedUrls: {},
    engine,
    doGenerate,
    doStream,
    feedback: (traceId, score) => engine.feedback(traceId, score),
    explain: (traceId) => engine.explain(traceId),
  });
}

type Recording = { parts: LanguageModelV4StreamPart[]; passedOn: number };

function isContentPart(part: LanguageModelV4StreamPart): boolean {
  return part.type !== 'stream-start' && part.type !== 'response-metadata' && part.type !== 'raw';
}

/** OpenAI-style token logprobs, where the engine's confidence scorer looks for them. */
function withLogprobs(answer: TierAnswer, providerMetadata: Record<string, unknown> | undefined): TierAnswer {
  for (const namespace of Object.values(providerMetadata ?? {})) {
    const logprobs = (namespace as { logprobs?: unknown } | undefined)?.logprobs;
    if (logprobs !== undefined && logprobs !== null) {
      answer.metadata = { ...answer.metadata, logprobs };
      break;
    }
  }
  return answer;
}

function toError(value: unknown): unknown {
  return value instanceof Error
    ? value
    : new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
