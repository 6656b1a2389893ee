import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  cascade,
  HashingEmbedder,
  refusalScorer,
  SemanticCache,
  type TelemetrySettings,
} from '@tokenomics/core';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheMiddleware } from './cache-middleware';
import { compressionMiddleware } from './compression-middleware';
import { getRouteMetadata } from './router/route-metadata';
import { createRouterModel } from './router/router-model';
import { fakeModel } from './test-utils/fake-model';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
  'test',
);

afterEach(() => exporter.reset());

/** The settings a user gives `generateText` as `experimental_telemetry`, plus the tracer to read. */
const telemetry: TelemetrySettings = { tracer, functionId: 'support-answer', metadata: { tenant: 'acme' } };

function cachedModel(settings: TelemetrySettings = telemetry) {
  const engine = new SemanticCache({ embedder: new HashingEmbedder(), verifier: false });
  const model = fakeModel(() => ({ text: 'Open the settings page.', inputTokens: 20, outputTokens: 6 }));
  return {
    model,
    wrapped: wrapLanguageModel({ model, middleware: cacheMiddleware({ engine, telemetry: settings }) }),
  };
}

describe('OpenTelemetry spans of the AI SDK adapters', () => {
  it('records a cache miss and then a hit, carrying functionId and metadata', async () => {
    const { wrapped } = cachedModel();
    await generateText({ model: wrapped, prompt: 'How do I reset my password?' });
    await generateText({ model: wrapped, prompt: 'How do I reset my password?' });
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'tokenomics.cache.lookup');
    expect(spans.map((span) => span.attributes['tokenomics.cache.result'])).toEqual(['miss', 'hit']);
    expect(spans[1]?.attributes).toMatchObject({
      'tokenomics.cache.hit_kind': 'exact',
      'tokenomics.cache.saved_input_tokens': 20,
      'gen_ai.request.model': 'fake-model',
      'ai.telemetry.functionId': 'support-answer',
      'ai.telemetry.metadata.tenant': 'acme',
    });
  });

  it('honours isEnabled: false, from the middleware and per call through providerOptions', async () => {
    const off = cachedModel({ ...telemetry, isEnabled: false });
    await generateText({ model: off.wrapped, prompt: 'Hello?' });
    expect(exporter.getFinishedSpans()).toEqual([]);

    const { wrapped } = cachedModel();
    await generateText({
      model: wrapped,
      prompt: 'Hello?',
      providerOptions: { tokenomics: { telemetry: { isEnabled: false } } },
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
    await generateText({
      model: wrapped,
      prompt: 'Hello?',
      providerOptions: { tokenomics: { telemetry: { functionId: 'greeting', metadata: { user: 'u1' } } } },
    });
    expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
      'ai.telemetry.functionId': 'greeting',
      'ai.telemetry.metadata.tenant': 'acme',
      'ai.telemetry.metadata.user': 'u1',
    });
  });

  it.each(['generate', 'stream'] as const)(
    'records the route and each tier call of the router model (%s)',
    async (mode) => {
      const cheap = fakeModel(() => ({
        text: "I'm sorry, I can't help with that.",
        inputTokens: 30,
        outputTokens: 9,
      }));
      const strong = fakeModel(() => ({ text: 'Paris.', inputTokens: 30, outputTokens: 2 }));
      const router = createRouterModel({
        tiers: [
          { id: 'cheap', model: cheap, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
          { id: 'strong', model: strong, price: { inputPerMillion: 10, outputPerMillion: 30 } },
        ],
        policy: cascade({ scorers: [refusalScorer()] }),
        telemetry,
      });
      let providerMetadata: Record<string, unknown> | undefined;
      if (mode === 'generate') {
        providerMetadata = (await generateText({ model: router, prompt: 'Capital of France?' }))
          .providerMetadata;
      } else {
        const result = streamText({ model: router, prompt: 'Capital of France?' });
        await result.text;
        providerMetadata = await result.providerMetadata;
      }
      const spans = exporter.getFinishedSpans();
      const route = spans.find((span) => span.name === 'tokenomics.route');
      expect(route?.attributes).toMatchObject({
        'tokenomics.route.tier': 'cheap',
        'tokenomics.route.answered_tier': 'strong',
        'tokenomics.route.escalated': true,
        'tokenomics.cost_usd': getRouteMetadata(providerMetadata)?.cost.dollars,
        'gen_ai.usage.input_tokens': 60,
      });
      const tierSpans = spans.filter((span) => span.name === 'chat fake-model');
      expect(tierSpans.map((span) => span.attributes['tokenomics.tier.id'])).toEqual(['cheap', 'strong']);
      expect(tierSpans[0]?.attributes['gen_ai.usage.output_tokens']).toBe(9);
      expect(tierSpans[0]?.attributes['tokenomics.cost_usd']).toBeCloseTo((30 * 0.1 + 9 * 0.4) / 1e6, 12);
    },
  );

  it('records the compression ratio', async () => {
    const model = fakeModel(() => ({ text: 'In 1932.' }));
    const document = Array.from(
      { length: 40 },
      (_, index) =>
        `Note ${index}: the harbor crew of ${index + 10} painted section ${index} of the old bridge.`,
    ).join(' ');
    const wrapped = wrapLanguageModel({
      model,
      middleware: compressionMiddleware({ rate: 0.3, minTokens: 0, lastUserMessage: 'question', telemetry }),
    });
    await generateText({ model: wrapped, prompt: `${document}\n\nWho painted section 3?` });
    const span = exporter.getFinishedSpans().find((candidate) => candidate.name === 'tokenomics.compression');
    expect(span?.attributes['tokenomics.compression.ratio']).toBeGreaterThan(1.5);
    expect(span?.attributes['gen_ai.request.model']).toBe('fake-model');
  });
});
