import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getCacheMetadata } from '../cache-metadata';
import { TestWordEmbedder } from '../testing/test-embedder';
import { TokenomicsCache } from '../tokenomics-cache';
import { cacheMiddleware } from './cache-middleware';

const multiply = tool(async ({ a, b }: { a: number; b: number }) => String(a * b), {
  name: 'multiply',
  description: 'Multiplies two numbers',
  schema: z.object({ a: z.number(), b: z.number() }),
});

/** Calls the tool first, then answers from its result. */
function toolUsingModel() {
  return new ScriptedChatModel({
    model: 'small-1',
    answers: (_question, call) => {
      const result = call.messages.findLast((message) => message.type === 'tool');
      if (result) return { text: `6 × 7 = ${result.text}` };
      return { toolCalls: [{ id: 'call-1', name: 'multiply', args: { a: 6, b: 7 } }] };
    },
  });
}

function newCache() {
  return new TokenomicsCache({
    embedder: new TestWordEmbedder(),
    verifier: false,
    telemetry: { isEnabled: false },
  });
}

describe('cacheMiddleware with createAgent', () => {
  it('runs a tool-calling agent once, then answers the same question from the cache with no model call', async () => {
    const model = toolUsingModel();
    const agent = createAgent({
      model,
      tools: [multiply],
      middleware: [cacheMiddleware({ cache: newCache() })],
    });
    const question = { messages: [{ role: 'user', content: 'What is 6 times 7?' }] };

    const first = (await agent.invoke(question)).messages as BaseMessage[];
    expect(first.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(first[2]?.text).toBe('42');
    expect(model.calls).toHaveLength(2);
    expect(getCacheMetadata(first[3] as AIMessage)).toBeUndefined();

    const second = (await agent.invoke(question)).messages as BaseMessage[];
    // Both steps were hits: the tool call replayed (and the tool ran again), then the answer.
    expect(model.calls).toHaveLength(2);
    expect(second.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect((second[1] as AIMessage).tool_calls?.[0]).toMatchObject({
      name: 'multiply',
      args: { a: 6, b: 7 },
    });
    expect(second[2]?.text).toBe('42');
    expect(second[3]?.text).toBe('6 × 7 = 42');
    expect(getCacheMetadata(second[3] as AIMessage)).toMatchObject({ cached: true, kind: 'exact' });
  });

  it('keys on the tools: the same question to an agent with other tools misses', async () => {
    const cache = newCache();
    const model = toolUsingModel();
    const add = tool(async ({ a, b }: { a: number; b: number }) => String(a + b), {
      name: 'add',
      description: 'Adds two numbers',
      schema: z.object({ a: z.number(), b: z.number() }),
    });
    const question = { messages: [{ role: 'user', content: 'What is 6 times 7?' }] };
    await createAgent({ model, tools: [multiply], middleware: [cacheMiddleware({ cache })] }).invoke(
      question,
    );
    expect(model.calls).toHaveLength(2);
    await createAgent({ model, tools: [multiply, add], middleware: [cacheMiddleware({ cache })] }).invoke(
      question,
    );
    expect(model.calls).toHaveLength(4);
  });

  it('streams a cache hit token by token in streamMode messages, each token once', async () => {
    const model = new ScriptedChatModel({
      model: 'small-1',
      answers: () => ({ text: 'alpha beta gamma delta' }),
    });
    const agent = createAgent({ model, tools: [], middleware: [cacheMiddleware({ cache: newCache() })] });
    const streamText = async () => {
      let text = '';
      let chunks = 0;
      for await (const [message] of await agent.stream(
        { messages: [{ role: 'user', content: 'say four words' }] },
        { streamMode: 'messages' },
      )) {
        text += (message as BaseMessage).text;
        chunks++;
      }
      return { text, chunks };
    };
    expect((await streamText()).text).toBe('alpha beta gamma delta');
    const replay = await streamText();
    expect(model.calls).toHaveLength(1);
    expect(replay.text).toBe('alpha beta gamma delta');
    expect(replay.chunks).toBeGreaterThan(2);
  });

  it('keeps structured output: the structured response comes back on a hit', async () => {
    const model = new ScriptedChatModel({
      model: 'small-1',
      answers: (_question, call) => {
        const tools = (call.options.tools ?? []) as Array<{ name?: string; function?: { name?: string } }>;
        const name = tools.map((entry) => entry.name ?? entry.function?.name).find(Boolean) ?? 'missing';
        return { toolCalls: [{ id: 'out-1', name, args: { city: 'Paris', country: 'France' } }] };
      },
    });
    // A titled schema: LangChain names the output tool after it (an untitled one gets a new
    // `extract-N` name on every call, which no cached answer can match).
    const schema = z.object({ city: z.string(), country: z.string() }).meta({ title: 'Location' });
    const agent = createAgent({
      model,
      tools: [],
      responseFormat: schema,
      middleware: [cacheMiddleware({ cache: newCache() })],
    });
    const question = { messages: [{ role: 'user', content: 'Where is the Eiffel Tower?' }] };
    const first = await agent.invoke(question);
    const second = await agent.invoke(question);
    expect(model.calls).toHaveLength(1);
    expect(first.structuredResponse).toEqual({ city: 'Paris', country: 'France' });
    expect(second.structuredResponse).toEqual({ city: 'Paris', country: 'France' });
  });
});
