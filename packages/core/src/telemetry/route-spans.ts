import type { TokenomicsRequest } from '../request/request';
import type { CallTier, RouteAttempt, RouteResult, Tier, TierAnswer, TierCallContext } from '../router/types';
import { requestAttributes } from './cache-lookup-span';
import { GEN_AI, SPAN_NAMES, TOKENOMICS } from './span-attributes';
import { nowEpochMs, SPAN_KIND_CLIENT, type StageSpan, StageTracer } from './stage-tracer';
import type { TelemetryAttributes, TelemetrySettings } from './telemetry-settings';

/** A tier call whose span waits for the run's end, when its cost and outcome are known. */
type TierCallSpan = { key: string; stage: StageSpan; endTime: number; failed: boolean };

/**
 * Runs a routed call in a `tokenomics.route` span (the decision: chosen tier, policy, prior,
 * escalation, cost against the baseline) with a `chat <model>` child span per tier call (model,
 * tokens, cost, outcome). `run` gets the `callTier` to hand the engine.
 */
export async function traceRoute(
  settings: TelemetrySettings | undefined,
  request: Pick<TokenomicsRequest, 'model'>,
  callTier: CallTier,
  run: (callTier: CallTier) => Promise<RouteResult>,
): Promise<RouteResult> {
  const tracer = await StageTracer.for(settings);
  if (!tracer) return run(callTier);
  const route = tracer.start(SPAN_NAMES.route, requestAttributes('router', request.model));
  const calls: TierCallSpan[] = [];
  const traced: CallTier = (tier, tierRequest, context) =>
    callInSpan(tracer, route, calls, tier, context, () => callTier(tier, tierRequest, context));
  let result: RouteResult;
  try {
    result = await tracer.run(route, () => run(traced));
  } catch (error) {
    for (const call of calls) if (!call.failed) tracer.end(call.stage, {}, undefined, call.endTime);
    tracer.end(route, {}, error);
    throw error;
  }
  endTierSpans(tracer, calls, result.attempts);
  tracer.end(route, routeAttributes(result));
  return result;
}

async function callInSpan(
  tracer: StageTracer,
  route: StageSpan,
  calls: TierCallSpan[],
  tier: Tier,
  context: TierCallContext,
  call: () => Promise<TierAnswer>,
): Promise<TierAnswer> {
  const attributes: TelemetryAttributes = {
    ...requestAttributes('model', tier.model),
    [GEN_AI.operationName]: 'chat',
    [TOKENOMICS.tierId]: tier.id,
    [TOKENOMICS.tierPurpose]: context.purpose,
    [TOKENOMICS.traceId]: context.traceId,
  };
  const spanName = `chat ${attributes[GEN_AI.requestModel] ?? tier.model}`;
  const stage = tracer.start(spanName, attributes, route, SPAN_KIND_CLIENT);
  const key = attemptKey(tier.id, context.purpose);
  try {
    const answer = await tracer.run(stage, call);
    stage.span.setAttributes(answerAttributes(answer));
    calls.push({ key, stage, endTime: nowEpochMs(), failed: false });
    return answer;
  } catch (error) {
    tracer.end(stage, { [TOKENOMICS.tierOutcome]: 'failed' }, error);
    calls.push({ key, stage, endTime: nowEpochMs(), failed: true });
    throw error;
  }
}

/** Each call's cost and outcome come from the run's attempts, matched per tier and purpose in call order. */
function endTierSpans(tracer: StageTracer, calls: TierCallSpan[], attempts: RouteAttempt[]): void {
  const queues = new Map<string, RouteAttempt[]>();
  for (const attempt of attempts) {
    if (attempt.outcome === 'skipped') continue;
    const key = attemptKey(attempt.tierId, attempt.outcome === 'extra' ? attempt.purpose : 'answer');
    queues.set(key, [...(queues.get(key) ?? []), attempt]);
  }
  for (const call of calls) {
    const attempt = queues.get(call.key)?.shift();
    if (call.failed) continue;
    tracer.end(
      call.stage,
      {
        [TOKENOMICS.tierOutcome]: attempt?.outcome,
        [TOKENOMICS.tierScore]: attempt?.score,
        [TOKENOMICS.costUsd]: attempt?.dollars,
      },
      undefined,
      call.endTime,
    );
  }
}

function answerAttributes(answer: TierAnswer): TelemetryAttributes {
  const model = answer.metadata?.model;
  return {
    [GEN_AI.inputTokens]: answer.usage.inputTokens,
    [GEN_AI.outputTokens]: answer.usage.outputTokens,
    [GEN_AI.finishReasons]: [answer.finishReason],
    [GEN_AI.responseModel]: typeof model === 'string' ? model : undefined,
  };
}

function routeAttributes(result: RouteResult): TelemetryAttributes {
  const escalations = result.attempts.filter((attempt) => attempt.outcome === 'escalated').length;
  return {
    [TOKENOMICS.traceId]: result.trace.id,
    [TOKENOMICS.routeTier]: result.decision.tier.id,
    [TOKENOMICS.routeAnsweredTier]: result.tier.id,
    [TOKENOMICS.routePolicy]: result.decision.policy,
    [TOKENOMICS.routeReason]: result.decision.reason,
    [TOKENOMICS.routePrior]: result.decision.prior,
    [TOKENOMICS.routeEscalated]: escalations > 0,
    [TOKENOMICS.routeEscalations]: escalations,
    [TOKENOMICS.routeCalls]: result.attempts.filter((attempt) => attempt.outcome !== 'skipped').length,
    [GEN_AI.responseModel]: result.tier.model,
    [GEN_AI.inputTokens]: result.usage.total.inputTokens,
    [GEN_AI.outputTokens]: result.usage.total.outputTokens,
    [TOKENOMICS.costUsd]: result.cost.dollars,
    [TOKENOMICS.baselineCostUsd]: result.cost.baselineDollars,
  };
}

function attemptKey(tierId: string, purpose: string): string {
  return `${tierId}\u0000${purpose}`;
}
