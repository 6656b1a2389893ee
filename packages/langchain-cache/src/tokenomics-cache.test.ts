import { type AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import { type CacheEntryStore, type CacheWarning, SemanticCache } from '@tokenomics/core';
import { ScriptedChatModel, type ScriptedChatModelFields } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import type { TokenomicsHitMetadata } from './generation-codec';
import { TestWordEmbedder } from './testing/test-embedder';
import { TokenomicsCache, type TokenomicsCacheEvent, type TokenomicsCacheOptions } from './tokenomics-cache';

function setup(options: TokenomicsCacheOptions = {}, fields: Partial<ScriptedChatModelFields> = {}) {
  const warnings: CacheWarning[] = [];
  const events: TokenomicsCacheEvent[] = [];
  const cache = new TokenomicsCache({
    embedder: new TestWordEmbedder(),
    // The learned verifier is core's to test; these tests are about what the adapter sends it.
    verifier: false,
    onWarning: (warning) => warnings.push(warning),
    onEvent: (event) => events.push(event),
    ...options,
  });
  const model = new ScriptedChatModel({
    answers: (question) => ({ text: `Answer to: ${question}` }),
    cache,
    ...fields,
  });
  return { cache, model, warnings, events };
}

function tokenomicsOf(message: unknown): TokenomicsHitMetadata {
  return (message as AIMessage).response_metadata.tokenomics as TokenomicsHitMetadata;
}

describe('TokenomicsCache as a chat model cache', () => {
  it('serves a repeated call from the cache, marked as cached, without calling the model', async () => {
    const { model, events } = setup();
    const first = await model.invoke('What is the capital of France?');
    const second = await model.invoke('What is the capital of France?');
    expect(model.calls).toHaveLength(1);
    expect(second.content).toBe(first.content);
    expect(tokenomicsOf(first)).toBeUndefined();
    expect(tokenomicsOf(second)).toMatchObject({ cached: true, kind: 'exact' });
    expect(tokenomicsOf(second).savedUsage.outputTokens).toBe(first.usage_metadata?.output_tokens);
    expect(events.map((event) => event.type)).toEqual(['miss', 'store', 'hit']);
    expect(events[2]?.traceId).toBe(tokenomicsOf(second).traceId);
  });

  it('answers a paraphrase from the cache (semantic hit) and an unrelated question from the model', async () => {
    const { model } = setup();
    const stored = await model.invoke('How do I reset my password?');
    const paraphrase = await model.invoke('How can I change my passcode, please?');
    expect(model.calls).toHaveLength(1);
    expect(paraphrase.content).toBe(stored.content);
    expect(tokenomicsOf(paraphrase)).toMatchObject({ cached: true, kind: 'semantic' });
    expect(tokenomicsOf(paraphrase).similarity).toBeGreaterThan(0.85);
    await model.invoke('How do I delete my account?');
    expect(model.calls).toHaveLength(2);
  });

  it('never serves one tenant’s answer to another tenant', async () => {
    const { cache } = setup();
    const answers = (tenant: string) => () => ({ text: `secret of ${tenant}` });
    const acme = new ScriptedChatModel({
      answers: answers('acme'),
      cache: cache.withScope({ tenant: 'acme' }),
    });
    const globex = new ScriptedChatModel({
      answers: answers('globex'),
      cache: cache.withScope({ tenant: 'globex' }),
    });
    await acme.invoke('What is our discount code?');
    const other = await globex.invoke('What is our discount code?');
    expect(other.content).toBe('secret of globex');
    expect(globex.calls).toHaveLength(1);
    const again = await acme.invoke('What is our discount code?');
    expect(again.content).toBe('secret of acme');
    expect(acme.calls).toHaveLength(1);
  });

  it('keeps scopes apart for the very same prompt and llm strings, however often they repeat', async () => {
    const scope = { tenant: 'acme' };
    const { cache } = setup({ scope, semantic: false });
    const shared = new ScriptedChatModel({ answers: () => ({ text: 'acme answer' }), cache });
    await shared.invoke('Where is my invoice?');
    await shared.invoke('Where is my invoice?');
    expect(shared.calls).toHaveLength(1);
    // Changing the object given as scope afterwards must not move the cache to another tenant.
    scope.tenant = 'globex';
    const again = await shared.invoke('Where is my invoice?');
    expect(tokenomicsOf(again)).toMatchObject({ cached: true });
    const other = new ScriptedChatModel({
      answers: () => ({ text: 'globex answer' }),
      cache: cache.withScope({ tenant: 'globex' }),
    });
    for (let round = 0; round < 3; round++) {
      const answer = await other.invoke('Where is my invoice?');
      expect(answer.content).toBe('globex answer');
    }
    expect(other.calls).toHaveLength(1);
  });

  it('misses when the system prompt, an earlier turn, the temperature or the model differs', async () => {
    const { cache } = setup({ cacheNonDeterministic: true });
    let served = 0;
    const model = (fields: Partial<ScriptedChatModelFields> = {}) =>
      new ScriptedChatModel({ answers: () => ({ text: `answer ${++served}` }), cache, ...fields });
    const question = new HumanMessage('Summarize our refund policy.');
    await model().invoke([new SystemMessage('You are a pirate.'), question]);
    await model().invoke([new SystemMessage('You are a lawyer.'), question]);
    await model().invoke([new HumanMessage('I bought shoes.'), question]);
    await model({ temperature: 0.7 }).invoke([new SystemMessage('You are a pirate.'), question]);
    await model({ model: 'bigger-model' }).invoke([new SystemMessage('You are a pirate.'), question]);
    expect(served).toBe(5);
    const repeat = await model().invoke([new SystemMessage('You are a pirate.'), question]);
    expect(repeat.content).toBe('answer 1');
  });

  it('misses when the bound tools or the tool choice differ', async () => {
    const { cache } = setup();
    let served = 0;
    const model = new ScriptedChatModel({ answers: () => ({ text: `answer ${++served}` }), cache });
    const weatherTool = { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } };
    const newsTool = { type: 'function', function: { name: 'news', parameters: { type: 'object' } } };
    await model.withConfig({ tools: [weatherTool] } as never).invoke('What happened in Oslo?');
    await model.withConfig({ tools: [newsTool] } as never).invoke('What happened in Oslo?');
    await model
      .withConfig({ tools: [newsTool], tool_choice: 'news' } as never)
      .invoke('What happened in Oslo?');
    expect(served).toBe(3);
    const repeat = await model.withConfig({ tools: [weatherTool] } as never).invoke('What happened in Oslo?');
    expect(repeat.content).toBe('answer 1');
  });

  it('bypasses calls it cannot key faithfully: LangChain tool objects and images', async () => {
    const { model, events } = setup();
    const schema = { type: 'object' as const, properties: { city: { type: 'string' as const } } };
    const weather = tool(async () => 'sunny', { name: 'weather', description: 'weather', schema });
    const news = tool(async () => 'none', { name: 'news', description: 'news', schema });
    // LangChain's cache key renders both tool objects as the same serialization stub.
    await model.bindTools([weather]).invoke('Oslo?');
    await model.bindTools([news]).invoke('Oslo?');
    const picture = (data: string) =>
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: data } },
        ],
      });
    await model.invoke([picture('data:image/png;base64,AAAA')]);
    await model.invoke([picture('data:image/png;base64,BBBB')]);
    expect(model.calls).toHaveLength(4);
    expect(events.filter((event) => event.type === 'bypass').map((event) => event.reason)).toEqual([
      'tool-not-serializable',
      'tool-not-serializable',
      'media-placeholder [image]',
      'media-placeholder [image]',
    ]);
  });

  it('keeps tool calls on a hit, and a caller changing the returned message does not change the cache', async () => {
    const { model } = setup(
      {},
      {
        answers: [{ text: '', toolCalls: [{ id: 'call-1', name: 'weather', args: { city: 'Oslo' } }] }],
      },
    );
    const first = (await model.invoke('Weather in Oslo?')) as AIMessage;
    const hit = (await model.invoke('Weather in Oslo?')) as AIMessage;
    expect(model.calls).toHaveLength(1);
    expect(hit.tool_calls).toEqual(first.tool_calls);
    hit.tool_calls?.push({ id: 'x', name: 'evil', args: {} });
    (hit.tool_calls?.[0]?.args as Record<string, unknown>).city = 'Paris';
    hit.response_metadata.tampered = true;
    const again = (await model.invoke('Weather in Oslo?')) as AIMessage;
    expect(again.tool_calls).toEqual([{ id: 'call-1', name: 'weather', args: { city: 'Oslo' } }]);
    expect(again.response_metadata.tampered).toBeUndefined();
  });

  it('never stores a truncated answer or an answer the model failed to produce', async () => {
    const { model } = setup(
      {},
      { answers: [{ text: 'The answer is cut', finishReason: 'length' }, { text: 'full' }] },
    );
    await model.invoke('Tell me a long story.');
    const second = await model.invoke('Tell me a long story.');
    expect(second.content).toBe('full');
    expect(model.calls).toHaveLength(2);

    const failing = setup({}, { answers: [{ text: 'x', failAfterChunks: 0 }, { text: 'recovered' }] }).model;
    await expect(failing.invoke('Hello?')).rejects.toThrow('model failed');
    expect((await failing.invoke('Hello?')).content).toBe('recovered');
  });

  it('calls the model when the store throws, and reports the failure', async () => {
    const broken = new Proxy({} as CacheEntryStore, {
      get: () => async () => {
        throw new Error('store is down');
      },
    });
    const { model, warnings } = setup({ store: broken });
    const first = await model.invoke('What is the capital of France?');
    const second = await model.invoke('What is the capital of France?');
    expect(first.content).toBe('Answer to: What is the capital of France?');
    expect(second.content).toBe(first.content);
    expect(model.calls).toHaveLength(2);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('calls the model when the engine itself throws', async () => {
    const engine = new SemanticCache();
    engine.lookup = async () => {
      throw new Error('engine bug');
    };
    const { model, events } = setup({ engine });
    const answer = await model.invoke('Hi?');
    expect(answer.content).toBe('Answer to: Hi?');
    expect(events[0]).toMatchObject({ type: 'error', reason: 'engine bug' });
  });

  it('works in a prompt | model | parser chain and in batch', async () => {
    const { model } = setup();
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer in one word.'],
      ['human', '{question}'],
    ]);
    const chain = prompt.pipe(model).pipe(new StringOutputParser());
    const first = await chain.invoke({ question: 'Capital of France?' });
    const results = await chain.batch([
      { question: 'Capital of France?' },
      { question: 'Capital of Spain?' },
      { question: 'Capital of France?' },
    ]);
    expect(first).toBe('Answer to: Capital of France?');
    expect(results).toEqual([first, 'Answer to: Capital of Spain?', first]);
    // France was stored by the first call, so only Spain reaches the model.
    expect(model.calls.map((call) => call.messages.at(-1)?.text)).toEqual([
      'Capital of France?',
      'Capital of Spain?',
    ]);
    await model.invoke('Capital of Italy?');
    const batched = await model.batch(['Capital of Italy?', 'Capital of Peru?']);
    expect(batched.map((message) => tokenomicsOf(message)?.cached ?? false)).toEqual([true, false]);
    expect(batched.map((message) => message.content)).toEqual([
      'Answer to: Capital of Italy?',
      'Answer to: Capital of Peru?',
    ]);
  });
});

describe('TokenomicsCache.sqlite', () => {
  it('serves exact and semantic hits from the SQLite file after the cache is closed and reopened', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const folder = mkdtempSync(join(tmpdir(), 'tokenomics-langchain-'));
    try {
      const path = join(folder, 'cache.db');
      const first = await TokenomicsCache.sqlite({ path, embedder: new TestWordEmbedder(), verifier: false });
      const writer = new ScriptedChatModel({ answers: [{ text: 'Use the reset link.' }], cache: first });
      await writer.invoke('How do I reset my password?');
      await first.close();

      const reopened = await TokenomicsCache.sqlite({
        path,
        embedder: new TestWordEmbedder(),
        verifier: false,
      });
      const reader = new ScriptedChatModel({ answers: [{ text: 'from the model' }], cache: reopened });
      const exact = await reader.invoke('How do I reset my password?');
      const semantic = await reader.invoke('How can I change my passcode?');
      await reopened.close();
      expect([exact.content, semantic.content]).toEqual(['Use the reset link.', 'Use the reset link.']);
      expect([tokenomicsOf(exact).kind, tokenomicsOf(semantic).kind]).toEqual(['exact', 'semantic']);
      expect(reader.calls).toHaveLength(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
