import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  type AIMessage,
  type AIMessageChunk,
  type BaseMessage,
  HumanMessage,
} from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { tool } from '@langchain/core/tools';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { CacheWarning } from '@tokenomics/core';
import { ScriptedChatModel, type ScriptedReply } from '@tokenomics/langchain-common/test';
import { describe, expect, it } from 'vitest';
import { TOKENOMICS_TRACE_EVENT, withStreamingCache } from './cached-chat-model';
import { TestWordEmbedder } from './testing/test-embedder';
import { TokenomicsCache, type TokenomicsCacheEvent } from './tokenomics-cache';

function setup(
  answers: ScriptedReply[] | ((question: string) => ScriptedReply) = (question) => ({
    text: `The answer to ${question} is here.`,
  }),
) {
  const warnings: CacheWarning[] = [];
  const events: TokenomicsCacheEvent[] = [];
  const cache = new TokenomicsCache({
    embedder: new TestWordEmbedder(),
    // The learned verifier is core's to test; these tests are about what the adapter sends it.
    verifier: false,
    onWarning: (warning) => warnings.push(warning),
    onEvent: (event) => events.push(event),
  });
  const model = new ScriptedChatModel({ answers });
  return { cache, model, cached: withStreamingCache(model, cache), warnings, events };
}

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk[]> {
  const chunks: AIMessageChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function joined(chunks: AIMessageChunk[]): AIMessageChunk {
  return chunks.slice(1).reduce((total, chunk) => total.concat(chunk), chunks[0] as AIMessageChunk);
}

describe('withStreamingCache', () => {
  it('serves .stream() from the cache on a hit, replaying the same text in several chunks', async () => {
    const { model, cached } = setup();
    const original = joined(await collect(await cached.stream('What is a monad?')));
    expect(model.calls).toHaveLength(1);
    const replayed = await collect(await cached.stream('What is a monad?'));
    expect(model.calls).toHaveLength(1);
    expect(replayed.length).toBeGreaterThan(2);
    const message = joined(replayed);
    expect(message.text).toBe(original.text);
    expect(message.text).toBe('The answer to What is a monad? is here.');
    expect(message.response_metadata.tokenomics).toMatchObject({ cached: true, kind: 'exact' });
  });

  it('replays tool calls as tool-call chunks', async () => {
    const { model, cached } = setup([
      {
        text: 'Checking.',
        toolCalls: [{ id: 'call-7', name: 'weather', args: { city: 'Oslo', unit: 'C' } }],
      },
    ]);
    const original = joined(await collect(await cached.stream('Weather in Oslo?')));
    const replayed = joined(await collect(await cached.stream('Weather in Oslo?')));
    expect(model.calls).toHaveLength(1);
    expect(replayed.tool_calls).toEqual(original.tool_calls);
    expect(replayed.tool_calls).toMatchObject([
      { id: 'call-7', name: 'weather', args: { city: 'Oslo', unit: 'C' } },
    ]);
    const invoked = (await cached.invoke('Weather in Oslo?')) as AIMessage;
    expect(invoked.tool_calls).toMatchObject([
      { id: 'call-7', name: 'weather', args: { city: 'Oslo', unit: 'C' } },
    ]);
  });

  it('does not store a stream the consumer stopped early, one that was aborted, or one that failed', async () => {
    const { model, cached, events } = setup();
    for await (const _chunk of await cached.stream('Tell me about Rome.')) break;
    const controller = new AbortController();
    await expect(async () => {
      for await (const _chunk of await cached.stream('Tell me about Paris.', { signal: controller.signal }))
        controller.abort();
    }).rejects.toThrow();
    expect(events.some((event) => event.type === 'store')).toBe(false);
    await cached.invoke('Tell me about Rome.');
    await cached.invoke('Tell me about Paris.');
    expect(model.calls).toHaveLength(4);

    const failing = setup([{ text: 'one two three four', failAfterChunks: 2 }, { text: 'recovered answer' }]);
    await expect(collect(await failing.cached.stream('Hello?'))).rejects.toThrow('stream failed');
    const next = joined(await collect(await failing.cached.stream('Hello?')));
    expect(next.text).toBe('recovered answer');
    expect(failing.model.calls).toHaveLength(2);
  });

  it('shares entries with the plain `cache` option for text conversations', async () => {
    const { cache, model, cached } = setup();
    const plain = new ScriptedChatModel({ answers: [{ text: 'stored through invoke' }], cache });
    await plain.invoke([new HumanMessage('What is a functor?')]);
    const replayed = joined(await collect(await cached.stream('What is a functor?')));
    expect(replayed.text).toBe('stored through invoke');
    expect(model.calls).toHaveLength(0);
  });

  it('keys images by content, so a different picture misses and the same picture hits', async () => {
    const { model, cached } = setup(() => ({ text: 'A picture.' }));
    const picture = (data: string) =>
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: data } },
        ],
      });
    await cached.invoke([picture('data:image/png;base64,AAAA')]);
    await cached.invoke([picture('data:image/png;base64,BBBB')]);
    expect(model.calls).toHaveLength(2);
    const hit = (await cached.invoke([picture('data:image/png;base64,AAAA')])) as AIMessage;
    expect(model.calls).toHaveLength(2);
    expect(hit.response_metadata.tokenomics).toMatchObject({ cached: true, kind: 'exact' });
  });

  it('keys LangChain tool objects by name and schema when tools are bound', async () => {
    const { model, cached } = setup();
    const schema = { type: 'object' as const, properties: { city: { type: 'string' as const } } };
    const weather = tool(async () => 'sunny', { name: 'weather', description: 'weather', schema });
    const news = tool(async () => 'none', { name: 'news', description: 'news', schema });
    await cached.bindTools([weather]).invoke('Oslo?');
    await cached.bindTools([news]).invoke('Oslo?');
    expect(model.calls).toHaveLength(2);
    expect(model.calls[0]?.options.tools).toEqual([weather]);
    await cached.bindTools([weather]).invoke('Oslo?');
    expect(model.calls).toHaveLength(2);
    // A model that arrives with tools already bound is keyed the same way.
    await withStreamingCache(model.bindTools([news]), cached.tokenomicsCache).invoke('Oslo?');
    expect(model.calls).toHaveLength(2);
  });

  it('answers a paraphrase from the cache on .stream()', async () => {
    const { model, cached } = setup();
    await cached.invoke('How do I reset my password?');
    const replayed = joined(await collect(await cached.stream('How can I change my passcode?')));
    expect(model.calls).toHaveLength(1);
    expect(replayed.text).toBe('The answer to How do I reset my password? is here.');
    expect(replayed.response_metadata.tokenomics).toMatchObject({ cached: true, kind: 'semantic' });
  });

  it('reports each decision to callbacks as a custom event', async () => {
    const { cached } = setup();
    const seen: Array<{ name: string; data: TokenomicsCacheEvent }> = [];
    const handler = BaseCallbackHandler.fromMethods({
      handleCustomEvent(name, data) {
        seen.push({ name, data });
      },
    });
    await cached.invoke('Ping?', { callbacks: [handler] });
    await cached.invoke('Ping?', { callbacks: [handler] });
    expect(seen.map((event) => event.name)).toEqual([
      TOKENOMICS_TRACE_EVENT,
      TOKENOMICS_TRACE_EVENT,
      TOKENOMICS_TRACE_EVENT,
    ]);
    expect(seen.map((event) => event.data.type)).toEqual(['miss', 'store', 'hit']);
  });

  it('works in a prompt | model | parser chain, streamed and batched', async () => {
    const { model, cached } = setup();
    const chain = ChatPromptTemplate.fromMessages([['human', 'Define {term}.']])
      .pipe(cached)
      .pipe(new StringOutputParser());
    const streamed: string[] = [];
    for await (const piece of await chain.stream({ term: 'entropy' })) streamed.push(piece);
    const batched = await chain.batch([{ term: 'entropy' }, { term: 'enthalpy' }]);
    expect(batched).toEqual([streamed.join(''), 'The answer to Define enthalpy. is here.']);
    expect(model.calls.map((call) => call.streamed)).toEqual([true, false]);
  });
});

describe('withStreamingCache and structured output', () => {
  it('serves withStructuredOutput (tool calling) from the cache', async () => {
    const { model, cached } = setup([
      { text: '', toolCalls: [{ id: 'c1', name: 'person', args: { name: 'Ada', born: 1815 } }] },
    ]);
    const schema = {
      name: 'person',
      description: 'A person',
      parameters: { type: 'object', properties: { name: { type: 'string' }, born: { type: 'number' } } },
    };
    const structured = cached.withStructuredOutput(schema);
    const first = await structured.invoke('Who wrote the first program?');
    const second = await structured.invoke('Who wrote the first program?');
    expect(first).toEqual({ name: 'Ada', born: 1815 });
    expect(second).toEqual(first);
    expect(model.calls).toHaveLength(1);
  });
});

describe('withStreamingCache scopes', () => {
  it('keeps per-call scopes apart, and the cache’s own scope cannot be overridden by a call', async () => {
    const { cache, model } = setup((question) => ({ text: `reply ${question}` }));
    const cached = withStreamingCache(model, cache.withScope({ tenant: 'acme' }));
    await cached.invoke('My balance?', { cacheScope: { user: 'ann' } });
    await cached.invoke('My balance?', { cacheScope: { user: 'bob' } });
    expect(model.calls).toHaveLength(2);
    expect(model.calls[0]?.options).not.toHaveProperty('cacheScope');
    const again = (await cached.invoke('My balance?', { cacheScope: { user: 'ann' } })) as AIMessage;
    expect(again.response_metadata.tokenomics).toMatchObject({ cached: true });
    await withStreamingCache(model, cache.withScope({ tenant: 'globex' })).invoke('My balance?', {
      cacheScope: { tenant: 'acme', user: 'ann' },
    });
    expect(model.calls).toHaveLength(3);
  });
});

describe('withStreamingCache and streamEvents', () => {
  it('shows the cache decision as a custom event and each token once, on a miss and on a hit', async () => {
    const { cached } = setup();
    const chain = ChatPromptTemplate.fromMessages([['human', '{question}']]).pipe(cached);
    for (const expectedDecision of ['miss', 'hit']) {
      const custom: string[] = [];
      let streamedText = '';
      for await (const event of chain.streamEvents({ question: 'What is a lens?' }, { version: 'v2' })) {
        if (event.event === 'on_custom_event' && event.name === TOKENOMICS_TRACE_EVENT)
          custom.push((event.data as TokenomicsCacheEvent).type);
        if (event.event === 'on_chat_model_stream') streamedText += (event.data.chunk as AIMessageChunk).text;
      }
      expect(custom[0]).toBe(expectedDecision);
      expect(streamedText).toBe('The answer to What is a lens? is here.');
    }
  });
});

describe('with LangChain’s own FakeListChatModel', () => {
  it('caches through `cache:` and replays through the wrapper’s .stream()', async () => {
    const cache = new TokenomicsCache({ verifier: false });
    const model = new FakeListChatModel({ responses: ['first answer', 'second answer'], cache });
    expect((await model.invoke('Q?')).content).toBe('first answer');
    expect((await model.invoke('Q?')).content).toBe('first answer');
    expect((await model.invoke('Other?')).content).toBe('second answer');
    const streamingModel = new FakeListChatModel({ responses: ['never used'] });
    const replayed = joined(await collect(await withStreamingCache(streamingModel, cache).stream('Q?')));
    expect(replayed.text).toBe('first answer');
  });
});

/** A scripted model whose calls wait until the test opens the gate, so that calls overlap for sure. */
class GatedChatModel extends ScriptedChatModel {
  /** Calls that reached the model (some may still wait at the gate). */
  started = 0;
  private open: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });

  release(): void {
    this.open();
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    this.started++;
    await this.gate;
    return super._generate(messages, options);
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    this.started++;
    await this.gate;
    yield* super._streamResponseChunks(messages, options, runManager);
  }
}

function gatedSetup(
  answers: ScriptedReply[] | ((question: string) => ScriptedReply) = (question) => ({
    text: `The answer to ${question} is here.`,
  }),
  coalesce?: boolean,
) {
  const events: TokenomicsCacheEvent[] = [];
  const cache = new TokenomicsCache({ verifier: false, onEvent: (event) => events.push(event) });
  const model = new GatedChatModel({ answers });
  const cached = withStreamingCache(model, cache, coalesce === undefined ? {} : { coalesce });
  /** Resolves once `count` lookups have missed and their calls had time to join the calls in flight. */
  async function missed(count: number): Promise<void> {
    for (let waited = 0; waited < 2_000; waited += 5) {
      if (events.filter((event) => event.type === 'miss').length >= count) break;
      await sleep(5);
    }
    await sleep(10);
  }
  return { cache, model, cached, events, missed };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('withStreamingCache coalescing', () => {
  it('calls the model once for two identical calls in flight; the second is answered as a coalesced hit', async () => {
    const { model, cached, missed } = gatedSetup();
    const first = cached.invoke('What is a monad?');
    const second = cached.invoke('What is a monad?');
    await missed(2);
    expect(model.started).toBe(1);
    model.release();
    const [leader, follower] = (await Promise.all([first, second])) as AIMessage[];
    expect(model.calls).toHaveLength(1);
    expect(follower?.text).toBe('The answer to What is a monad? is here.');
    expect(follower?.text).toBe(leader?.text);
    expect(leader?.response_metadata.tokenomics).toBeUndefined();
    expect(follower?.response_metadata.tokenomics).toMatchObject({
      cached: true,
      kind: 'exact',
      coalesced: true,
      savedUsage: { outputTokens: expect.any(Number) },
    });
  });

  it('does not share an answer between scopes', async () => {
    const { model, cached, missed } = gatedSetup((question) => ({ text: `reply ${question}` }));
    const acme = cached.invoke('My balance?', { cacheScope: { tenant: 'acme' } });
    const globex = cached.invoke('My balance?', { cacheScope: { tenant: 'globex' } });
    await missed(2);
    expect(model.started).toBe(2);
    model.release();
    await Promise.all([acme, globex]);
    expect(model.calls).toHaveLength(2);
  });

  it('lets a waiting call reach the model itself when the leading call fails', async () => {
    const { model, cached, missed } = gatedSetup([
      { error: new Error('provider down') },
      { text: 'second try works' },
    ]);
    const first = cached.invoke('Status?');
    await missed(1);
    const second = cached.invoke('Status?');
    await missed(2);
    expect(model.started).toBe(1);
    model.release();
    await expect(first).rejects.toThrow('provider down');
    const recovered = (await second) as AIMessage;
    expect(recovered.text).toBe('second try works');
    expect(recovered.response_metadata.tokenomics).toBeUndefined();
    expect(model.calls).toHaveLength(2);
  });

  it('lets a waiting call go on when the leading call is aborted', async () => {
    const { model, cached, missed } = gatedSetup();
    const controller = new AbortController();
    const first = cached.invoke('Abort me?', { signal: controller.signal });
    await missed(1);
    const second = cached.invoke('Abort me?');
    await missed(2);
    expect(model.started).toBe(1);
    controller.abort();
    await sleep(10);
    // The waiting call did not wait for the aborted one to return: it reached the model at once.
    expect(model.started).toBe(2);
    model.release();
    await first.catch(() => undefined);
    const answer = (await second) as AIMessage;
    expect(answer.text).toBe('The answer to Abort me? is here.');
    expect(answer.response_metadata.tokenomics).toBeUndefined();
  });

  it('stops waiting after coalesceTimeoutMs and calls the model itself', async () => {
    const { cache } = gatedSetup();
    const stalled = new GatedChatModel({ answers: [{ text: 'slow answer' }] });
    const cached = withStreamingCache(stalled, cache, { coalesceTimeoutMs: 30 });
    // The leading stream is read for one chunk at most and then left unread: it never settles.
    const leading = cached.stream('Stalled?').then((stream) => stream[Symbol.asyncIterator]().next());
    await sleep(20);
    const second = cached.invoke('Stalled?');
    await sleep(60);
    expect(stalled.started).toBe(2);
    stalled.release();
    expect(((await second) as AIMessage).text).toBe('slow answer');
    await leading;
  });

  it('drops a leading call that has not settled after coalesceTimeoutMs, so later calls do not wait on it', async () => {
    const { cache } = gatedSetup();
    const stalled = new GatedChatModel({ answers: [{ text: 'slow answer' }] });
    const cached = withStreamingCache(stalled, cache, { coalesceTimeoutMs: 100 });
    const leading = cached.stream('Stalled?').then((stream) => stream[Symbol.asyncIterator]().next());
    await sleep(150);
    const later = cached.invoke('Stalled?');
    await sleep(20);
    expect(stalled.started).toBe(2);
    stalled.release();
    expect(((await later) as AIMessage).text).toBe('slow answer');
    await leading;
  });

  it('calls the model for each call when coalescing is off', async () => {
    const { model, cached, missed } = gatedSetup(undefined, false);
    const first = cached.invoke('What is a monad?');
    const second = cached.invoke('What is a monad?');
    await missed(2);
    model.release();
    await Promise.all([first, second]);
    expect(model.calls).toHaveLength(2);
  });

  it('replays the leading call’s answer to a waiting .stream() as chunks', async () => {
    const { model, cached, missed } = gatedSetup();
    const first = cached.stream('Explain monads.').then(collect);
    const second = cached.stream('Explain monads.').then(collect);
    await missed(2);
    model.release();
    const [leaderChunks, followerChunks] = await Promise.all([first, second]);
    expect(model.calls).toHaveLength(1);
    expect(followerChunks.length).toBeGreaterThan(2);
    const replayed = joined(followerChunks);
    expect(replayed.text).toBe('The answer to Explain monads. is here.');
    expect(replayed.text).toBe(joined(leaderChunks).text);
    expect(replayed.response_metadata.tokenomics).toMatchObject({ cached: true, coalesced: true });
  });
});
