import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import {
  CostLedger,
  createPricing,
  type ModelPriceOverride,
  type TraceListener,
  type TraceSink,
  type Usage,
} from '@tokenomics/core';
import { shareStageEmbedder } from '@tokenomics/core/internal';
import {
  TokenomicsCache,
  type TokenomicsCacheOptions,
  withStreamingCache,
} from '@tokenomics/langchain-cache';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';
import type { MessagesCompressionOptions } from '@tokenomics/langchain-compression';
import { RouterChatModel, type RouterChatModelFields } from '@tokenomics/langchain-router';
import { CompressingChatModel } from './compressing-chat-model';
import { type PipelineCallReport, PipelineChatModel } from './pipeline-chat-model';

/** One configuration object for the whole pipeline. `false` (or leaving a stage out) switches it off. */
export type TokenomicsStackOptions = {
  /** The chat model to call when routing is off. Needed unless `router` is given. */
  model?: BaseChatModel;
  /** The id `model` is priced under (default: read from the model, e.g. `openai:gpt-4o-mini`). */
  modelId?: string;
  /** Price of `model` (dollars per million tokens), when the bundled registry lacks it. */
  modelPrice?: ModelPriceOverride;
  /** Exact + semantic cache (a `TokenomicsCache`, or its options), outermost: a hit skips everything else. */
  cache?: TokenomicsCache | TokenomicsCacheOptions | false;
  /** Prompt compression, after the cache and before routing. */
  compression?: MessagesCompressionOptions | false;
  /** Routing between tiers (classifier prior, bandit, cascade): replaces `model`. */
  router?: RouterChatModelFields | false;
  /**
   * Shadow mode: every stage decides and reports what it would have done, while the baseline call
   * (the strongest tier, uncompressed, uncached) is made and returned. A cache built here from
   * options runs its engine in shadow mode; a `TokenomicsCache` you pass should be built with `shadow: true`.
   */
  shadow?: boolean;
  /** Receives one record per call (default: a new in-memory ledger, with the tiers' prices). */
  ledger?: CostLedger;
  /** A recorded baseline call's usage for a request (e.g. a replayed data set of the strong model's answers). */
  recordedBaseline?: (messages: BaseMessage[]) => Usage | undefined;
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
  onCall?: (report: PipelineCallReport) => void;
};

export type TokenomicsStack = {
  /** A chat model: `invoke`, `stream`, `batch`, `bindTools`, and `prompt.pipe(stack.model)` in a chain. */
  model: PipelineChatModel;
  ledger: CostLedger;
  cache?: TokenomicsCache;
  router?: RouterChatModel;
  close(): Promise<void>;
};

/**
 * Builds the LangChain pipeline from one configuration, composed from the outside in: accounting
 * (one ledger record and one trace per call) → cache (`withStreamingCache`, so `.stream()` is
 * cached too) → compression (`compressMessages`) → `RouterChatModel` (or the plain model). The
 * order and its reasons are the AI SDK stack's: see docs/pipeline.md.
 */
export function createTokenomicsStack(stackOptions: TokenomicsStackOptions): TokenomicsStack {
  const options = withSharedEmbedder(stackOptions);
  const shadow = options.shadow === true;
  const router = options.router ? new RouterChatModel(options.router) : undefined;
  const target = answeringModel(options, router, shadow);
  const stages = new CompressingChatModel({
    model: target.model,
    modelId: target.modelId,
    compression: options.compression ?? false,
    shadow,
    ...(shadow && router ? { shadowRouter: router.engine } : {}),
  });
  const cache = options.cache ? stackCache(options.cache, shadow) : undefined;
  const ledger =
    options.ledger ??
    new CostLedger({ pricing: createPricing({ overrides: prices(options, router, target.modelId) }) });
  const model = new PipelineChatModel({
    model: cache ? withStreamingCache(stages, cache) : stages,
    ledger,
    shadow,
    baselineModel: target.baselineModel,
    recordedBaseline: options.recordedBaseline,
    traceSinks: options.traceSinks,
    onCall: options.onCall,
  });
  const stack: TokenomicsStack = { model, ledger, close: async () => cache?.close() };
  if (cache) stack.cache = cache;
  if (router) stack.router = router;
  return stack;
}

/**
 * The options with one embedder for the cache and the router when they embed with the same model
 * (a ready `TokenomicsCache` keeps its own).
 */
function withSharedEmbedder(options: TokenomicsStackOptions): TokenomicsStackOptions {
  if (!options.cache || options.cache instanceof TokenomicsCache || !options.router) return options;
  const shared = shareStageEmbedder(options.cache, options.router);
  return { ...options, cache: shared.cache, router: shared.router };
}

/** The model behind compression: the router, or in shadow mode its strongest tier; else `model`. */
function answeringModel(
  options: TokenomicsStackOptions,
  router: RouterChatModel | undefined,
  shadow: boolean,
) {
  if (router && options.router) {
    const tiers = router.engine.tiers;
    const strongest = tiers[tiers.length - 1];
    const baselineModel = strongest?.model ?? 'unknown';
    const strongTier =
      options.router.tiers.find((tier) => (tier.id ?? tier.modelId) === strongest?.id) ??
      options.router.tiers.find((tier) => tier.modelId === baselineModel);
    const model = shadow && strongTier ? strongTier.model : router;
    return { model, modelId: baselineModel, baselineModel };
  }
  if (!options.model) throw new TypeError('createTokenomicsStack needs a `model`, or a `router` with tiers.');
  const modelId = options.modelId ?? toTokenomicsRequest([], { model: options.model }).model;
  return { model: options.model, modelId, baselineModel: modelId };
}

function stackCache(cache: TokenomicsCache | TokenomicsCacheOptions, shadow: boolean): TokenomicsCache {
  if (cache instanceof TokenomicsCache) return cache;
  return new TokenomicsCache(shadow && !cache.engine ? { ...cache, shadow: true } : cache);
}

/** The prices the configuration gives (the tiers' `price`, `modelPrice`), by model id. */
function prices(
  options: TokenomicsStackOptions,
  router: RouterChatModel | undefined,
  modelId: string,
): Record<string, ModelPriceOverride> {
  const table: Record<string, ModelPriceOverride> = {};
  for (const tier of router?.engine.tiers ?? []) if (tier.price) table[tier.model] = tier.price;
  if (options.modelPrice) table[modelId] = options.modelPrice;
  return table;
}
