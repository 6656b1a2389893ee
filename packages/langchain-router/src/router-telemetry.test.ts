import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { cascade, refusalScorer } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { afterEach, describe, expect, it } from 'vitest';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel, type RouterChatModelFields } from './router-chat-model';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
  'test',
);

afterEach(() => exporter.reset());

function escalatingRouter(telemetry: RouterChatModelFields['telemetry']) {
  const cheap = new ScriptedChatModel({
    model: 'small-1',
    answers: () => ({ text: "I'm sorry, I can't help with that." }),
  });
  const strong = new ScriptedChatModel({ model: 'large-1', answers: () => ({ text: 'The answer is 42.' }) });
  return new RouterChatModel({
    tiers: [
      { id: 'cheap', model: cheap, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
      { id: 'strong', model: strong, price: { inputPerMillion: 10, outputPerMillion: 30 } },
    ],
    policy: cascade({ scorers: [refusalScorer()] }),
    telemetry,
  });
}

describe('RouterChatModel OpenTelemetry spans', () => {
  it.each(['invoke', 'stream'] as const)('records the route and each tier call (%s)', async (mode) => {
    const router = escalatingRouter({ tracer, functionId: 'support-bot', metadata: { tenant: 'acme' } });
    let message: { response_metadata?: Record<string, unknown> };
    if (mode === 'invoke') message = await router.invoke('six times seven?');
    else {
      let last: { response_metadata?: Record<string, unknown> } = {};
      for await (const chunk of await router.stream('six times seven?'))
        if (chunk.response_metadata?.tokenomics) last = chunk;
      message = last;
    }
    const spans = exporter.getFinishedSpans();
    const route = spans.find((span) => span.name === 'tokenomics.route');
    const cost = getRouteMetadata(message)?.cost.dollars;
    expect(route?.attributes).toMatchObject({
      'tokenomics.route.tier': 'cheap',
      'tokenomics.route.answered_tier': 'strong',
      'tokenomics.route.escalated': true,
      'tokenomics.cost_usd': cost,
      'ai.telemetry.functionId': 'support-bot',
      'ai.telemetry.metadata.tenant': 'acme',
    });
    const tierSpans = spans.filter((span) => span.name.startsWith('chat '));
    expect(tierSpans.map((span) => span.attributes['gen_ai.request.model'])).toEqual(['small-1', 'large-1']);
    expect(tierSpans.map((span) => span.attributes['tokenomics.tier.outcome'])).toEqual([
      'escalated',
      'accepted',
    ]);
    expect(tierSpans.every((span) => (span.attributes['gen_ai.usage.output_tokens'] as number) > 0)).toBe(
      true,
    );
    const tierDollars = tierSpans.reduce(
      (total, span) => total + (span.attributes['tokenomics.cost_usd'] as number),
      0,
    );
    expect(tierDollars).toBeCloseTo(cost ?? Number.NaN, 12);
  });

  it('records nothing with isEnabled: false', async () => {
    await escalatingRouter({ tracer, isEnabled: false }).invoke('six times seven?');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
