import type {
  LanguageModelV4CallOptions,
  LanguageModelV4Middleware,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import {
  accountPipelineCall,
  type CostLedger,
  type DecisionTrace,
  type LedgerRecord,
  type ModelPriceOverride,
  type PipelineCallOutcome,
  type PricedCall,
  type TraceListener,
  type TraceSink,
  type TraceStep,
  type Usage,
} from '@tokenomics/core';
import { shadowRouteStep } from '@tokenomics/core/internal';
import { type CacheMetadata, getCacheMetadata } from '../cache-metadata';
import { toCoreUsage } from '../cache-usage';
import { getCompressionMetadata } from '../compression-middleware';
import type { RouteMetadata } from '../router/index';
import { getRouteMetadata } from '../router/index';
import { toTokenomicsRequest } from '../to-tokenomics-request';
import { getShadowRouteMetadata, type ShadowRouteMetadata } from './shadow-route-middleware';

/** What the stack did for one call: each stage's decision, the ledger record and the trace. */
export type PipelineCallReport = {
  mode: 'generate' | 'stream';
  /** True when the stack ran in shadow mode: the baseline call was made and returned. */
  shadow: boolean;
  cache?: CacheMetadata;
  compression?: ReturnType<typeof getCompressionMetadata>;
  route?: RouteMetadata['route'];
  /** Shadow mode: the tier the router would have chosen. */
  shadowRoute?: ShadowRouteMetadata;
  record: LedgerRecord;
  trace: DecisionTrace;
};

export type PipelineAccountingOptions = {
  ledger: CostLedger;
  shadow: boolean;
  /** The model the baseline is priced on (the strongest tier, or the only model). */
  baselineModel: string;
  baselinePrice?: ModelPriceOverride;
  /** The model id calls are priced on when no router reports one. */
  answerModel: string;
  answerPrice?: ModelPriceOverride;
  /** A recorded baseline call's usage for this call (a replayed data set), when there is one. */
  recordedBaseline?: (params: LanguageModelV4CallOptions) => Usage | undefined;
  /** The model that produced a cached answer, by the cache's trace id (set by the cache's onHit). */
  hitModel: (cacheTraceId: string) => PricedCall | undefined;
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
  onCall?: (report: PipelineCallReport) => void;
  onProblem: (cause: unknown) => void;
};

/**
 * The outermost middleware of a stack: after each call it reads what every stage reported in the
 * provider metadata and writes ONE ledger record (saving split by stage) and ONE decision trace.
 * Accounting never fails or changes a call.
 */
export function pipelineAccountingMiddleware(options: PipelineAccountingOptions): LanguageModelV4Middleware {
  const account = (
    mode: 'generate' | 'stream',
    params: LanguageModelV4CallOptions,
    model: { provider: string; modelId: string },
    metadata: SharedV4ProviderMetadata | undefined,
    usage: LanguageModelV4Usage | undefined,
  ) => {
    try {
      const report = accountCall(options, mode, params, model, metadata, usage);
      options.onCall?.(report);
    } catch (error) {
      options.onProblem(error);
    }
  };
  return {
    specificationVersion: 'v4',
    async wrapGenerate({ doGenerate, params, model }) {
      const result = await doGenerate();
      account('generate', params, model, result.providerMetadata, result.usage);
      return result;
    },
    async wrapStream({ doStream, params, model }) {
      const result = await doStream();
      const stream = result.stream.pipeThrough(
        new TransformStream<LanguageModelV4StreamPart, LanguageModelV4StreamPart>({
          transform(part, controller) {
            controller.enqueue(part);
            if (part.type === 'finish') account('stream', params, model, part.providerMetadata, part.usage);
          },
        }),
      );
      return { ...result, stream };
    },
  };
}

function accountCall(
  options: PipelineAccountingOptions,
  mode: 'generate' | 'stream',
  params: LanguageModelV4CallOptions,
  model: { provider: string; modelId: string },
  metadata: SharedV4ProviderMetadata | undefined,
  usage: LanguageModelV4Usage | undefined,
): PipelineCallReport {
  const cache = getCacheMetadata(metadata);
  const compression = cache?.cached ? undefined : getCompressionMetadata(metadata);
  const routed = cache?.cached ? undefined : getRouteMetadata(metadata);
  const shadowRoute = getShadowRouteMetadata(metadata);
  const traceId = cache?.traceId ?? routed?.route.traceId ?? globalThis.crypto.randomUUID();
  const outcome = callOutcome(options, traceId, { cache, compression, routed }, usage);
  if (options.shadow && outcome.answered)
    outcome.baseline = { usage: outcome.answered.usage, source: 'call' };
  else {
    // A hit is measured against the same recorded baseline: the cache saved the whole call.
    const recorded = options.recordedBaseline?.(params);
    if (recorded) outcome.baseline = { usage: recorded, source: 'recorded' };
  }
  const steps: TraceStep[] = [...(cache?.steps ?? [])];
  if (compression)
    steps.push({ ...compression.trace, ...(compression.shadow ? { decision: 'shadow' } : {}) });
  if (routed) steps.push(routeStep(routed.route));
  if (shadowRoute) steps.push(shadowRouteStep(shadowRoute));
  const { record, trace } = accountPipelineCall({
    ledger: options.ledger,
    request: toTokenomicsRequest(params, model),
    outcome,
    steps,
    traceSinks: options.traceSinks,
  });
  const report: PipelineCallReport = { mode, shadow: options.shadow, record, trace };
  if (cache) report.cache = cache;
  if (compression) report.compression = compression;
  if (routed) report.route = routed.route;
  if (shadowRoute) report.shadowRoute = shadowRoute;
  return report;
}

/** The stages' reports as the ledger's outcome: the calls paid for, compression, a cache hit. */
function callOutcome(
  options: PipelineAccountingOptions,
  traceId: string,
  stages: {
    cache: CacheMetadata | undefined;
    compression: ReturnType<typeof getCompressionMetadata>;
    routed: RouteMetadata | undefined;
  },
  usage: LanguageModelV4Usage | undefined,
): PipelineCallOutcome {
  const outcome: PipelineCallOutcome = { traceId, baselineModel: options.baselineModel };
  if (options.baselinePrice) outcome.baselinePrice = options.baselinePrice;
  const { cache, compression, routed } = stages;
  if (cache?.cached) {
    outcome.cacheHit = options.hitModel(cache.traceId) ?? {
      model: options.answerModel,
      usage: cache.originalUsage ?? {},
    };
    return outcome;
  }
  if (compression && !compression.shadow) {
    outcome.compression = { tokensBefore: compression.tokensBefore, tokensAfter: compression.tokensAfter };
  }
  if (routed) {
    const answering = routed.usage.tiers.find((tier) => tier.tierId === routed.route.tier);
    outcome.answered = { model: routed.route.model, usage: answering?.usage ?? {} };
    outcome.extraCalls = routed.usage.tiers
      .filter((tier) => tier !== answering)
      .map((tier) => ({ model: tier.model, usage: tier.usage }));
    return outcome;
  }
  outcome.answered = { model: options.answerModel, usage: usage ? toCoreUsage(usage) : {} };
  if (options.answerPrice) outcome.answered.price = options.answerPrice;
  return outcome;
}

function routeStep(route: RouteMetadata['route']): TraceStep {
  return {
    stage: 'router',
    decision: route.tier,
    reason: route.reason,
    details: { firstTier: route.firstTier, escalated: route.escalated, policy: route.policy },
  };
}
