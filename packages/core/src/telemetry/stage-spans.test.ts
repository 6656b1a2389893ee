import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { SemanticCache } from '../cache/semantic-cache';
import { compressRequest } from '../compression/compress-request';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { createRouter } from '../router/create-router';
import { cascade } from '../router/policies/cascade';
import { refusalScorer } from '../router/scorers/heuristic-scorers';
import {
  CHEAP,
  STRONG,
  scriptedTiers,
  textAnswer,
  userRequest,
} from '../router/test-support/router-fixtures';
import { traceCacheLookup } from './cache-lookup-span';
import { traceCompression } from './compression-span';
import { traceRoute } from './route-spans';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');

afterEach(() => {
  exporter.reset();
  trace.disable();
});

function spanNamed(name: string): ReadableSpan {
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name}: ${exporter.getFinishedSpans().map((s) => s.name)}`);
  return span;
}

describe('stage spans', () => {
  it('records a cascade escalation: one route span and a chat span per tier call, with tokens and dollars', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: cascade({ scorers: [refusalScorer()] }) });
    const callTier = scriptedTiers({
      cheap: textAnswer("I'm sorry, I can't help with that."),
      strong: textAnswer('Paris is the capital of France.', {
        usage: { inputTokens: 120, outputTokens: 30 },
      }),
    });
    const request = userRequest('What is the capital of France?');
    const result = await traceRoute({ tracer, functionId: 'answer-question' }, request, callTier, (traced) =>
      engine.run(request, traced),
    );

    const route = spanNamed('tokenomics.route');
    const cheap = spanNamed('chat cheap-model');
    const strong = spanNamed('chat strong-model');
    expect(route.attributes).toMatchObject({
      'tokenomics.route.tier': 'cheap',
      'tokenomics.route.answered_tier': 'strong',
      'tokenomics.route.escalated': true,
      'tokenomics.route.escalations': 1,
      'tokenomics.route.calls': 2,
      'tokenomics.cost_usd': result.cost.dollars,
      'tokenomics.baseline_cost_usd': result.cost.baselineDollars,
      'gen_ai.usage.input_tokens': 220,
      'ai.telemetry.functionId': 'answer-question',
    });
    expect(cheap.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'cheap-model',
      'gen_ai.provider.name': 'test',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'tokenomics.tier.outcome': 'escalated',
    });
    expect(strong.attributes).toMatchObject({
      'tokenomics.tier.outcome': 'accepted',
      'gen_ai.usage.output_tokens': 30,
    });
    // Each call is priced at its own tier's rates: 100 in and 50 out at $0.15 / $0.60 per million.
    expect(cheap.attributes['tokenomics.cost_usd']).toBeCloseTo((100 * 0.15 + 50 * 0.6) / 1e6, 12);
    expect(cheap.parentSpanContext?.spanId).toBe(route.spanContext().spanId);
    expect(strong.parentSpanContext?.spanId).toBe(route.spanContext().spanId);
  });

  it('ends a failing tier call span as an error, and the route span too when no tier answers', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: cascade({ scorers: [refusalScorer()] }),
      retry: { maxRetries: 0 },
    });
    const callTier = scriptedTiers({ cheap: new Error('bad request'), strong: new Error('bad request') });
    const request = userRequest('Hello?');
    await expect(
      traceRoute({ tracer }, request, callTier, (traced) => engine.run(request, traced)),
    ).rejects.toThrow();
    const spans = exporter.getFinishedSpans();
    expect(spans.find((span) => span.name === 'tokenomics.route')?.status.code).toBe(2);
    expect(
      spans.filter((span) => span.name.startsWith('chat ')).every((span) => span.status.code === 2),
    ).toBe(true);
  });

  it('records a semantic cache hit with its kind and similarity, and a miss', async () => {
    const cache = new SemanticCache({ embedder: new HashingEmbedder(), threshold: 0.5, verifier: false });
    const asked = userRequest('How do I reset my password?', { model: 'openai:gpt-4o-mini' });
    await cache.store(asked, textAnswer('Open settings.'));
    await traceCacheLookup({ tracer }, asked, () => cache.lookup(asked));
    await traceCacheLookup({ tracer }, asked, () =>
      cache.lookup(userRequest('Unrelated question about tax law', { model: 'openai:gpt-4o-mini' })),
    );
    const [hit, miss] = exporter.getFinishedSpans();
    expect(hit?.attributes).toMatchObject({
      'tokenomics.cache.result': 'hit',
      'tokenomics.cache.hit_kind': 'exact',
      'tokenomics.cache.saved_input_tokens': 100,
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.provider.name': 'openai',
    });
    expect(miss?.attributes['tokenomics.cache.result']).toBe('miss');
  });

  it('records the compression ratio, and nothing when telemetry is off', async () => {
    const document = Array.from(
      { length: 40 },
      (_, index) =>
        `Note ${index}: the harbor crew of ${index + 10} painted section ${index} of the old bridge.`,
    ).join(' ');
    const request = userRequest(`${document}\n\nWho painted section 3?`);
    const options = { rate: 0.3, minTokens: 0, lastUserMessage: 'question' } as const;
    const result = await traceCompression({ tracer, metadata: { team: 'search' } }, request, () =>
      compressRequest(request, options),
    );
    const span = spanNamed('tokenomics.compression');
    expect(span.attributes).toMatchObject({
      'tokenomics.compression.ratio': result.ratio,
      'tokenomics.compression.tokens_before': result.tokensBefore,
      'ai.telemetry.metadata.team': 'search',
    });
    expect(result.ratio).toBeGreaterThan(1.5);
    exporter.reset();
    await traceCompression({ tracer, isEnabled: false }, request, () => compressRequest(request, options));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('uses the global tracer provider of @opentelemetry/api when no tracer is given', async () => {
    trace.setGlobalTracerProvider(provider);
    const cache = new SemanticCache({ embedder: new HashingEmbedder() });
    const request = userRequest('Hi');
    await traceCacheLookup(undefined, request, () => cache.lookup(request));
    expect(spanNamed('tokenomics.cache.lookup').instrumentationScope.name).toBe('tokenomics');
  });
});
