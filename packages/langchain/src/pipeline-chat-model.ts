import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type {
  BaseChatModel,
  BaseChatModelCallOptions,
  BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import {
  accountPipelineCall,
  type CostLedger,
  type DecisionTrace,
  type LedgerRecord,
  type PipelineCallOutcome,
  type PricedCall,
  ROUTE_METADATA_KEY,
  type RouteMetadata,
  type TraceListener,
  type TraceSink,
  type TraceStep,
  type Usage,
} from '@tokenomics/core';
import { shadowRouteStep } from '@tokenomics/core/internal';
import { toTokenomicsRequest } from '@tokenomics/langchain-common';
import { getRouteMetadata } from '@tokenomics/langchain-router';
import {
  ANSWER_METADATA_KEY,
  COMPRESSION_METADATA_KEY,
  type CompressionReport,
} from './compressing-chat-model';
import { SHADOW_ROUTE_METADATA_KEY, type ShadowRoute } from './shadow-route';
import { WrappingChatModel } from './wrapping-chat-model';

/** What the pipeline did for one call: each stage's decision, the ledger record and the trace. */
export type PipelineCallReport = {
  shadow: boolean;
  cache?: { cached: true; kind: 'exact' | 'semantic'; similarity?: number };
  compression?: CompressionReport;
  route?: RouteMetadata['route'];
  shadowRoute?: ShadowRoute;
  record: LedgerRecord;
  trace: DecisionTrace;
};

export type PipelineChatModelFields = {
  /** The stages, outermost first: the cache (when on) around compression and the router. */
  model: BaseChatModel | Runnable;
  ledger: CostLedger;
  shadow: boolean;
  baselineModel: string;
  recordedBaseline?: (messages: BaseMessage[]) => Usage | undefined;
  traceSinks?: ReadonlyArray<TraceSink | TraceListener>;
  onCall?: (report: PipelineCallReport) => void;
};

/**
 * The outermost layer of the LangChain pipeline: passes the call to the stages and, from what
 * each reported on the answer's `response_metadata`, writes ONE ledger record (saving split by
 * stage) and ONE decision trace per call. Accounting never fails or changes a call.
 */
export class PipelineChatModel extends WrappingChatModel<PipelineChatModelFields> {
  static override lc_name(): string {
    return 'TokenomicsPipelineChatModel';
  }

  override _llmType(): string {
    return 'tokenomics-pipeline';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): PipelineChatModel {
    return new PipelineChatModel(this.withBoundTools(tools, kwargs));
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const message = await this.invokeInner(messages, options);
    this.account(messages, message);
    return { generations: [{ text: message.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const assembled = yield* this.relay(messages, options, runManager);
    // Reached only when the stream ran to its end.
    if (assembled) this.account(messages, assembled);
  }

  private account(messages: BaseMessage[], answer: BaseMessage): void {
    try {
      const report = accountAnswer(this.fields, messages, answer);
      this.fields.onCall?.(report);
    } catch (error) {
      console.warn('[@tokenomics/langchain] pipeline accounting failed', error);
    }
  }
}

function accountAnswer(
  fields: PipelineChatModelFields,
  messages: BaseMessage[],
  answer: BaseMessage,
): PipelineCallReport {
  const metadata = (answer.response_metadata ?? {}) as Record<string, unknown>;
  const hit = cacheHitOf(metadata);
  const compression = hit ? undefined : (metadata[COMPRESSION_METADATA_KEY] as CompressionReport | undefined);
  const routed = hit ? undefined : getRouteMetadata(answer);
  const shadowRoute = metadata[SHADOW_ROUTE_METADATA_KEY] as ShadowRoute | undefined;
  const answeredBy =
    (metadata[ANSWER_METADATA_KEY] as { model?: string } | undefined)?.model ?? fields.baselineModel;
  const traceId = hit?.traceId ?? routed?.route.traceId ?? globalThis.crypto.randomUUID();
  const outcome: PipelineCallOutcome = { traceId, baselineModel: fields.baselineModel };
  if (hit) outcome.cacheHit = { model: answeredBy, usage: hit.savedUsage };
  else {
    if (compression && !compression.shadow) outcome.compression = compression;
    Object.assign(outcome, callsOf(routed, answeredBy, answer));
  }
  // A hit is measured against the same recorded baseline: the cache saved the whole call.
  const recorded = fields.shadow ? undefined : fields.recordedBaseline?.(messages);
  if (fields.shadow && outcome.answered) outcome.baseline = { usage: outcome.answered.usage, source: 'call' };
  else if (recorded) outcome.baseline = { usage: recorded, source: 'recorded' };
  const { record, trace } = accountPipelineCall({
    ledger: fields.ledger,
    request: toTokenomicsRequest(messages, {}),
    outcome,
    steps: stepsOf(hit, compression, routed, shadowRoute),
    traceSinks: fields.traceSinks,
  });
  const report: PipelineCallReport = { shadow: fields.shadow, record, trace };
  if (hit)
    report.cache = {
      cached: true,
      kind: hit.kind,
      ...(hit.similarity === undefined ? {} : { similarity: hit.similarity }),
    };
  if (compression) report.compression = compression;
  if (routed) report.route = routed.route;
  if (shadowRoute) report.shadowRoute = shadowRoute;
  return report;
}

type HitMetadata = { traceId: string; kind: 'exact' | 'semantic'; similarity?: number; savedUsage: Usage };

function cacheHitOf(metadata: Record<string, unknown>): HitMetadata | undefined {
  const value = metadata[ROUTE_METADATA_KEY] as { cached?: unknown } | undefined;
  return value?.cached === true ? (value as unknown as HitMetadata) : undefined;
}

/** The call that answered and a cascade's extra calls, from the router's usage by tier. */
function callsOf(
  routed: RouteMetadata | undefined,
  answeredBy: string,
  answer: BaseMessage,
): { answered: PricedCall; extraCalls?: PricedCall[] } {
  if (!routed) return { answered: { model: answeredBy, usage: usageOf(answer) } };
  const answering = routed.usage.tiers.find((tier) => tier.tierId === routed.route.tier);
  return {
    answered: { model: routed.route.model, usage: answering?.usage ?? {} },
    extraCalls: routed.usage.tiers
      .filter((tier) => tier !== answering)
      .map((tier) => ({ model: tier.model, usage: tier.usage })),
  };
}

function usageOf(answer: BaseMessage): Usage {
  const usage = (answer as { usage_metadata?: { input_tokens?: number; output_tokens?: number } })
    .usage_metadata;
  return { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 };
}

function stepsOf(
  hit: HitMetadata | undefined,
  compression: CompressionReport | undefined,
  routed: RouteMetadata | undefined,
  shadowRoute: ShadowRoute | undefined,
): TraceStep[] {
  const steps: TraceStep[] = [];
  if (hit)
    steps.push({ stage: 'cache', decision: 'hit', details: { kind: hit.kind, similarity: hit.similarity } });
  else steps.push({ stage: 'cache', decision: 'miss' });
  if (compression)
    steps.push({
      stage: 'compression',
      decision: compression.shadow ? 'shadow' : 'compressed',
      details: { ...compression },
    });
  if (routed)
    steps.push({
      stage: 'router',
      decision: routed.route.tier,
      reason: routed.route.reason,
      details: { escalated: routed.route.escalated },
    });
  if (shadowRoute) steps.push(shadowRouteStep(shadowRoute));
  return steps;
}
