import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { LLMResult } from '@langchain/core/outputs';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { withStreamingCache } from './cached-chat-model';
import { TestWordEmbedder } from './testing/test-embedder';
import { TokenomicsCache } from './tokenomics-cache';

type Run = { runId: string; parentRunId?: string; metadata?: Record<string, unknown>; output?: LLMResult };

/** Records chat model runs as a tracer sees them; `name` decides whether it is taken for LangSmith's. */
function runRecorder(name: string) {
  const runs: Run[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleChatModelStart(_llm, _messages, runId, parentRunId, _extra, _tags, metadata) {
      runs.push({ runId, parentRunId, metadata });
    },
    handleLLMEnd(output, runId) {
      const run = runs.find((candidate) => candidate.runId === runId);
      if (run) run.output = output;
    },
  });
  Object.defineProperty(handler, 'name', { value: name });
  return { handler, runs };
}

function setup() {
  const model = new ScriptedChatModel({
    model: 'gpt-4o-mini',
    answers: () => ({ text: 'Open the settings page.' }),
  });
  const cache = new TokenomicsCache({
    embedder: new TestWordEmbedder(),
    verifier: false,
    telemetry: { isEnabled: false },
  });
  return { model, cached: withStreamingCache(model, cache) };
}

describe('withStreamingCache in LangSmith', () => {
  it("labels its run with the wrapped model's name and provider, not its own class", async () => {
    const { cached } = setup();
    const tracer = runRecorder('langchain_tracer');
    await cached.invoke('How do I reset my password?', { callbacks: [tracer.handler] });
    expect(tracer.runs[0]?.metadata).toMatchObject({ ls_provider: 'scripted', ls_model_name: 'gpt-4o-mini' });
  });

  it("nests the model's own run under the wrapper's for a tracer, priced by its tokens; other handlers see one run", async () => {
    const { cached } = setup();
    const tracer = runRecorder('langchain_tracer');
    const other = runRecorder('token_counter');
    await cached.invoke('How do I reset my password?', { callbacks: [tracer.handler, other.handler] });
    const [outer, inner] = tracer.runs;
    expect(tracer.runs).toHaveLength(2);
    expect(inner?.parentRunId).toBe(outer?.runId);
    // The inner run is labelled by the model itself.
    expect(inner?.metadata).toMatchObject({ ls_model_name: 'gpt-4o-mini' });
    const innerMessage = (inner?.output?.generations[0]?.[0] as { message?: { usage_metadata?: unknown } })
      ?.message;
    expect(innerMessage?.usage_metadata).toMatchObject({ output_tokens: expect.any(Number) });
    expect(other.runs).toHaveLength(1);
  });

  it('marks a hit: no inner run, zero usage, and getCacheMetadata reads it without a cast', async () => {
    const { model, cached } = setup();
    await cached.invoke('How do I reset my password?');
    const tracer = runRecorder('langchain_tracer');
    const message = await cached.invoke('How do I reset my password?', { callbacks: [tracer.handler] });
    expect(model.calls).toHaveLength(1);
    expect(tracer.runs).toHaveLength(1);
    expect(getCacheMetadata(message)).toMatchObject({ cached: true, kind: 'exact' });
    expect(message.usage_metadata).toMatchObject({ input_tokens: 0, output_tokens: 0 });
    const first = await withStreamingCache(model, new TokenomicsCache({ verifier: false })).invoke('Hi?');
    expect(getCacheMetadata(first)).toBeUndefined();
  });
});
