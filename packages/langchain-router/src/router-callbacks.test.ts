import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { AIMessageChunk } from '@langchain/core/messages';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { cascade, classifierPrior, fixed, refusalScorer, structuredOutputScorer } from '@tokenomics/core';
import { ScriptedChatModel, type ScriptedReply } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel } from './router-chat-model';

const REFUSAL = "I'm sorry, I can't help with that.";

function router(cheap: ScriptedReply, strong: ScriptedReply, options: Record<string, unknown> = {}) {
  const cheapModel = new ScriptedChatModel({ model: 'small-1', answers: () => cheap });
  const strongModel = new ScriptedChatModel({ model: 'large-1', answers: () => strong });
  const model = new RouterChatModel({
    tiers: [
      { id: 'cheap', model: cheapModel, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
      { id: 'strong', model: strongModel, price: { inputPerMillion: 10, outputPerMillion: 30 } },
    ],
    policy: cascade({ scorers: [refusalScorer()] }),
    ...options,
  });
  return { model, cheapModel, strongModel };
}

type SeenRun = { runId: string; parentRunId?: string; name?: string; metadata?: Record<string, unknown> };

function recorder() {
  const tokens: string[] = [];
  const runs: SeenRun[] = [];
  const options: unknown[] = [];
  const handler = BaseCallbackHandler.fromMethods({
    handleLLMNewToken(token) {
      tokens.push(token);
    },
    handleChatModelStart(_llm, _messages, runId, parentRunId, extra, _tags, metadata, runName) {
      runs.push({ runId, parentRunId, name: runName, metadata });
      options.push((extra as { options?: unknown } | undefined)?.options);
    },
  });
  return { handler, tokens, runs, options };
}

describe('RouterChatModel callbacks', () => {
  it("keeps a cascade's rejected answer away from the caller's handlers; tier runs go to tierCallbacks", async () => {
    const caller = recorder();
    const tiersSeen = recorder();
    const { model } = router(
      { text: REFUSAL },
      { text: 'The answer is 42.' },
      {
        tierCallbacks: [tiersSeen.handler],
      },
    );
    let text = '';
    for await (const chunk of await model.stream('six times seven?', { callbacks: [caller.handler] })) {
      text += chunk.text;
    }
    expect(text).toBe('The answer is 42.');
    expect(caller.tokens.join('')).toBe('The answer is 42.');
    expect(caller.runs).toHaveLength(1);
    const routerRun = caller.runs[0] as SeenRun;
    expect(tiersSeen.runs.map((run) => run.name)).toEqual(['tier:cheap', 'tier:strong']);
    expect(tiersSeen.runs.every((run) => run.parentRunId === routerRun.runId)).toBe(true);
  });

  it('streamEvents shows only the accepted answer, each token once', async () => {
    const { model } = router({ text: REFUSAL }, { text: 'The answer is 42.' });
    const streamed: string[] = [];
    for await (const event of model.streamEvents('six times seven?', { version: 'v2' })) {
      if (event.event === 'on_chat_model_stream') streamed.push((event.data.chunk as AIMessageChunk).text);
    }
    expect(streamed.join('')).toBe('The answer is 42.');
  });

  it("keeps a shadow call's answer away from the caller's stream, handlers and streamEvents, and bills it", async () => {
    // Serves the strong tier and calls the cheap one beside it (exploring in the shadow).
    const shadowPolicy = {
      name: 'shadow-test',
      decide: async () => ({ tierIndex: 1, reason: 'exploring-in-shadow', shadowTierIndex: 0 }),
    };
    const caller = recorder();
    const { model, cheapModel } = router(
      { text: 'shadow words' },
      { text: 'The answer is 42.' },
      { policy: shadowPolicy },
    );
    expect(model.streamingMode).toBe('live');
    let text = '';
    let last: AIMessageChunk | undefined;
    for await (const chunk of await model.stream('six times seven?', { callbacks: [caller.handler] })) {
      text += chunk.text;
      last = chunk;
    }
    expect(text).toBe('The answer is 42.');
    expect(caller.tokens.join('')).toBe('The answer is 42.');
    expect(cheapModel.calls).toHaveLength(1);
    const route = getRouteMetadata(last as AIMessageChunk);
    expect(route?.usage?.tiers?.map((tier) => tier.tierId).sort()).toEqual(['cheap', 'strong']);
    const streamed: string[] = [];
    for await (const event of model.streamEvents('six times seven?', { version: 'v2' })) {
      if (event.event === 'on_chat_model_stream') streamed.push((event.data.chunk as AIMessageChunk).text);
    }
    expect(streamed.join('')).toBe('The answer is 42.');
  });

  it('passes each live-streamed token to a handler once', async () => {
    const caller = recorder();
    const { model } = router({ text: 'one two three four' }, { text: 'unused' }, { policy: fixed('cheap') });
    expect(model.streamingMode).toBe('live');
    let text = '';
    for await (const chunk of await model.stream('count', { callbacks: [caller.handler] }))
      text += chunk.text;
    expect(text).toBe('one two three four');
    expect(caller.tokens.join('')).toBe('one two three four');
  });

  it('streaming: true makes invoke stream the chosen tier live, firing token callbacks', async () => {
    const caller = recorder();
    const { model, cheapModel } = router(
      { text: 'one two three' },
      { text: 'unused' },
      {
        policy: fixed('cheap'),
        streaming: true,
      },
    );
    expect(model.streamingMode).toBe('live');
    const answer = await model.invoke('count', { callbacks: [caller.handler] });
    expect(answer.text).toBe('one two three');
    expect(cheapModel.calls[0]?.streamed).toBe(true);
    expect(caller.tokens.length).toBeGreaterThan(1);
    expect(getRouteMetadata(answer)?.route.tier).toBe('cheap');
  });

  it('reports the usage of both calls of an escalation, streamed or not', async () => {
    const { model } = router({ text: REFUSAL }, { text: 'The answer is 42.' });
    const invoked = await model.invoke('six times seven?');
    const metadata = getRouteMetadata(invoked)!;
    const totalOutput = metadata.usage.tiers.reduce((sum, tier) => sum + (tier.usage.outputTokens ?? 0), 0);
    expect(metadata.usage.tiers).toHaveLength(2);
    expect(invoked.usage_metadata?.output_tokens).toBe(totalOutput);
    expect(invoked.usage_metadata?.output_tokens).toBe(metadata.usage.total.outputTokens);

    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream('six times seven?')) chunks.push(chunk);
    const whole = chunks.reduce((left, right) => left.concat(right));
    expect(whole.usage_metadata?.output_tokens).toBe(totalOutput);
    expect(whole.usage_metadata?.input_tokens).toBe(getRouteMetadata(whole)?.usage.total.inputTokens);
  });

  it("names the chosen tier's model and provider in the run's LangSmith params", async () => {
    const caller = recorder();
    const { model } = router(
      { text: 'cheap' },
      { text: 'strong' },
      {
        policy: classifierPrior({ prior: (features) => (/derive/.test(features.text) ? 0.1 : 0.9) }),
      },
    );
    await model.invoke('derive the formula', { callbacks: [caller.handler] });
    await model.invoke('hello there', { callbacks: [caller.handler] });
    expect(caller.runs.map((run) => [run.metadata?.ls_provider, run.metadata?.ls_model_name])).toEqual([
      ['scripted', 'large-1'],
      ['scripted', 'small-1'],
    ]);
    const params = model.getLsParams({} as never);
    expect(typeof params.ls_model_name).toBe('string');
    expect(params.ls_model_type).toBe('chat');
  });

  it('records ls_structured_output_format on the run for withStructuredOutput, with or without includeRaw', async () => {
    const schema = z.object({ city: z.string() });
    const extraction: ScriptedReply = { toolCalls: [{ id: 'c1', name: 'extract', args: { city: 'Paris' } }] };
    const { model } = router(extraction, extraction, {
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const caller = recorder();
    const parsed = await model
      .withStructuredOutput(schema, { name: 'extract' })
      .invoke('Capital of France?', {
        callbacks: [caller.handler],
      });
    expect(parsed).toEqual({ city: 'Paris' });
    const withRaw = await model
      .withStructuredOutput(schema, { name: 'extract', includeRaw: true })
      .invoke('Capital of France?', { callbacks: [caller.handler] });
    expect(withRaw.parsed).toEqual({ city: 'Paris' });
    const formats = caller.options
      .map(
        (options) =>
          (options as { ls_structured_output_format?: unknown } | undefined)?.ls_structured_output_format,
      )
      .filter((format) => format !== undefined);
    expect(formats).toHaveLength(2);
    expect(formats[0]).toEqual({ kwargs: { method: 'functionCalling' }, schema: toJsonSchema(schema) });
  });

  it('surfaces a bad request at once instead of re-sending it to every tier', async () => {
    const badRequest = Object.assign(new Error('Invalid message role'), { status: 400 });
    const { model, strongModel } = router(
      { error: badRequest },
      { text: 'never' },
      { policy: fixed('cheap') },
    );
    await expect(model.invoke('hello')).rejects.toBe(badRequest);
    expect(strongModel.calls).toHaveLength(0);
  });
});
