import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import {
  type CachedResponse,
  CostLedger,
  createPricing,
  type ModelPriceOverride,
  type PricedCall,
  type TraceListener,
  type TraceSink,
  type Usage,
} from '@tokenomics/core';
import { shareStageEmbedder } from '@tokenomics/core/internal';
import { wrapLanguageModel } from 'ai';
import { type CacheMiddleware, type CacheMiddlewareOptions, cacheMiddleware } from '../cache-middleware';
import { type CompressionMiddlewareOptions, compressionMiddleware } from '../compression-middleware';
import type { AiLanguageModelMiddleware } from '../installed-specification';
import { createRouterModel, type RouterLanguageModel, type RouterModelOptions } from '../router/index';
import { middlewareForInstalledAi } from '../v3-bridge';
import { type PipelineCallReport, pipelineAccountingMiddleware } from './pipeline-accounting-middleware';
import { shadowRouteMiddleware } from './shadow-route-middleware';

/** One configuration object for the whole pipeline. Every stage is optional: `false` (or leaving it out) switches it off. */
export type TokenomicsStackOptions = {
  /** The model to call when routing is off. Needed unless `router` is given. */
  model?: LanguageModelV4;
  /** Price of `model` (dollars per million tokens), when the bundled registry lacks it. */
  modelPrice?: ModelPriceOverride;
  /** Exact + semantic cache, outermost: a hit skips compression, routing and the model. */
  cache?: CacheMiddlewareOptions | false;
  /** Prompt compression, after the cache and before routing. */
  compression?: CompressionMiddlewareOptions | false;
  /** Routing between tiers (classifier prior, bandit, cascade): replaces `model`. */
  router?: RouterModelOptions | false;
  /**
   * Shadow mode: every stage decides and reports what it would have done, while the baseline call
   * (the strongest tier, uncompressed, uncached) is made and returned. The cache answers nothing
   * and compares would-be hits with the fresh answers (`cache.engine.verificationStats()`).
   */
  shadow?: boolean;
  /** Receives one record per call (default: a new in-memory ledger, with the tiers' prices). */
  ledger?: CostLedger;
  /**
   * A recorded baseline call for a request (e.g. a replayed data set of the strong model's
   * answers): its usage prices the baseline. Without it see `resolveBaseline` in `@tokenomics/core`.
   */
  recordedBaseline?: (params: LanguageModelV4CallOptions) => Usage | undefined;
  /** One finished decision trace per call. */
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
  /** Each call's stage decisions, ledger record and trace. Errors thrown here are ignored. */
  onCall?: (report: PipelineCallReport) => void;
};

export type TokenomicsStack = {
  /** The model to pass to `generateText` / `streamText`. */
  model: LanguageModelV4;
  ledger: CostLedger;
  /** Present when the cache stage is on. */
  cache?: CacheMiddleware;
  /** Present when the router stage is on (in shadow mode too: it decides, the baseline answers). */
  router?: RouterLanguageModel;
  /** Closes the cache's engine (and the stores it opened). */
  close(): Promise<void>;
};

/**
 * Builds the whole pipeline from one configuration: `wrapLanguageModel` with, from the outside
 * in, accounting (one ledger record and one trace per call), the cache, compression, and then the
 * router model (or the plain model). The cache is outermost so it keys the request as the user
 * sent it and a hit skips everything else; compression runs before routing so the router prices
 * and sees the prompt the model will get.
 */
export function createTokenomicsStack(stackOptions: TokenomicsStackOptions): TokenomicsStack {
  const options = withSharedEmbedder(stackOptions);
  const shadow = options.shadow === true;
  const router = options.router ? createRouterModel(options.router) : undefined;
  const target = innerModel(options, router, shadow);
  const prices = tierPrices(options);
  const ledger = options.ledger ?? new CostLedger({ pricing: createPricing({ overrides: prices }) });
  const hitModels = new Map<string, PricedCall>();
  const cache = options.cache ? stackCache(options.cache, shadow, target.answerModel, hitModels) : undefined;
  const middleware: AiLanguageModelMiddleware[] = [
    middlewareForInstalledAi(
      pipelineAccountingMiddleware({
        ledger,
        shadow,
        baselineModel: target.baselineModel,
        answerModel: target.answerModel,
        ...(prices[target.answerModel] ? { answerPrice: prices[target.answerModel] } : {}),
        recordedBaseline: options.recordedBaseline,
        hitModel: (traceId) => takeHitModel(hitModels, traceId),
        traceSinks: options.traceSinks,
        onCall: options.onCall && guarded(options.onCall),
        onProblem: (cause) => console.warn('[@tokenomics/ai-sdk] pipeline accounting failed', cause),
      }),
    ),
  ];
  if (cache) middleware.push(cache);
  if (options.compression) middleware.push(compressionMiddleware({ ...options.compression, shadow }));
  if (shadow && router) middleware.push(middlewareForInstalledAi(shadowRouteMiddleware(router.engine)));
  const stack: TokenomicsStack = {
    model: wrapLanguageModel({ model: target.model, middleware }),
    ledger,
    close: async () => cache?.close(),
  };
  if (cache) stack.cache = cache;
  if (router) stack.router = router;
  return stack;
}

/** The options with one embedder for the cache and the router when they embed with the same model. */
function withSharedEmbedder(options: TokenomicsStackOptions): TokenomicsStackOptions {
  if (!options.cache || !options.router) return options;
  const shared = shareStageEmbedder(options.cache, options.router);
  return { ...options, cache: shared.cache, router: shared.router };
}

/** The model behind the middleware: the router, or in shadow mode the baseline (strongest) tier. */
function innerModel(
  options: TokenomicsStackOptions,
  router: RouterLanguageModel | undefined,
  shadow: boolean,
) {
  if (router && options.router) {
    const strongest = router.engine.tiers[router.engine.tiers.length - 1];
    const baselineModel = strongest?.model ?? 'unknown';
    if (!shadow) return { model: router as LanguageModelV4, baselineModel, answerModel: baselineModel };
    const strongTier = options.router.tiers.find((tier) => tierModelId(tier) === baselineModel);
    const model = wrapLanguageModel({
      model: (strongTier?.model ?? router) as LanguageModelV4,
      middleware: [],
    });
    return { model, baselineModel, answerModel: baselineModel };
  }
  if (!options.model) throw new TypeError('createTokenomicsStack needs a `model`, or a `router` with tiers.');
  const id = `${options.model.provider}:${options.model.modelId}`;
  return { model: options.model, baselineModel: id, answerModel: id };
}

function tierModelId(tier: RouterModelOptions['tiers'][number]): string {
  const model = tier.model as { provider: string; modelId: string };
  return tier.modelId ?? `${model.provider}:${model.modelId}`;
}

/** The prices the configuration gives (tiers' `price`, `modelPrice`), by model id. */
function tierPrices(options: TokenomicsStackOptions): Record<string, ModelPriceOverride> {
  const prices: Record<string, ModelPriceOverride> = {};
  for (const tier of options.router ? options.router.tiers : []) {
    if (tier.price) prices[tierModelId(tier)] = tier.price;
  }
  if (options.model && options.modelPrice)
    prices[`${options.model.provider}:${options.model.modelId}`] = options.modelPrice;
  return prices;
}

/** The cache stage, in shadow mode a shadow engine, remembering which model produced each hit. */
function stackCache(
  cacheOptions: CacheMiddlewareOptions,
  shadow: boolean,
  answerModel: string,
  hitModels: Map<string, PricedCall>,
): CacheMiddleware {
  const engineOptions = shadow && !cacheOptions.engine ? { shadow: true } : {};
  return cacheMiddleware({
    ...cacheOptions,
    ...engineOptions,
    onHit: (event) => {
      hitModels.set(event.traceId, {
        model: producingModel(event.response) ?? answerModel,
        usage: event.response.usage,
      });
      cacheOptions.onHit?.(event);
    },
  } as CacheMiddlewareOptions);
}

/** The tier that produced a stored answer, when a router answered it (its route metadata is stored with it). */
function producingModel(response: CachedResponse): string | undefined {
  const providerMetadata = response.metadata?.providerMetadata as
    | { tokenomics?: { route?: { model?: unknown } } }
    | undefined;
  const model = providerMetadata?.tokenomics?.route?.model;
  return typeof model === 'string' ? model : undefined;
}

function takeHitModel(hitModels: Map<string, PricedCall>, traceId: string): PricedCall | undefined {
  const found = hitModels.get(traceId);
  hitModels.delete(traceId);
  return found;
}

function guarded<Event>(hook: (event: Event) => void): (event: Event) => void {
  return (event) => {
    try {
      hook(event);
    } catch {
      // A reporting hook must not fail a call that has already been answered.
    }
  };
}
