import { describe, expect, it } from 'vitest';
import type { CachedResponse } from '../cache/cached-response';
import { InFlightAnswers } from '../cache/in-flight-answers';
import { SemanticCache } from '../cache/semantic-cache';
import { exactKey } from '../request/keys';
import type { TokenomicsRequest } from '../request/request';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { type CachedCall, startCachedCall } from './cached-call';

/** One call through the cache step the way an adapter runs it: the model is a function. */
async function runCall(
  cache: SemanticCache,
  request: TokenomicsRequest,
  model: () => Promise<CachedResponse>,
  extra: { coalescer?: InFlightAnswers; signal?: AbortSignal; decode?: (r: CachedResponse) => string } = {},
): Promise<{ text: string; call: CachedCall<string> }> {
  const call = await startCachedCall<string>({
    lookup: () => cache.lookup(request, { signal: extra.signal }),
    decode: extra.decode ?? ((response) => textOf(response)),
    coalesceKey: () => exactKey(request),
    coalescer: extra.coalescer,
    signal: extra.signal,
  });
  if (call.status === 'hit') return { text: call.answer, call };
  let answer: CachedResponse;
  try {
    answer = await model();
  } catch (error) {
    call.abandon();
    throw error;
  }
  await call.finish(async () => {
    const outcome = await cache.store(request, answer, { pending: call.pending, signal: extra.signal });
    return { outcome, stored: outcome.stored ? answer : undefined };
  });
  return { text: textOf(answer), call };
}

function textOf(response: CachedResponse): string {
  return response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

describe('startCachedCall', () => {
  it('calls the model on a miss, stores the answer, and serves it on the next identical call', async () => {
    const cache = new SemanticCache({ verifier: false });
    let calls = 0;
    const model = async () => textAnswer(`answer ${++calls}`);
    const first = await runCall(cache, chatRequest('What is the capital of France?'), model);
    const second = await runCall(cache, chatRequest('What is the capital of France?'), model);
    expect([first.text, second.text, calls]).toEqual(['answer 1', 'answer 1', 1]);
    expect(second.call.status === 'hit' && second.call.kind).toBe('exact');
  });

  it('treats an entry the adapter cannot replay as a miss, and the fresh answer replaces it', async () => {
    const cache = new SemanticCache({ verifier: false });
    const request = chatRequest('Name a prime number.');
    await runCall(cache, request, async () => textAnswer('unreadable'));
    const decode = (response: CachedResponse) => {
      const text = textOf(response);
      if (text === 'unreadable') throw new Error('cannot replay');
      return text;
    };
    const again = await runCall(cache, request, async () => textAnswer('7'), { decode });
    expect(again.call.status === 'call' && again.call.reason).toBe('cached answer could not be replayed');
    const third = await runCall(cache, request, async () => textAnswer('never called'), { decode });
    expect(third.text).toBe('7');
  });

  it('never stores the answer of a bypassed call (temperature > 0)', async () => {
    const cache = new SemanticCache({ verifier: false });
    const hot = chatRequest('Write a haiku.', { settings: { temperature: 0.9 } });
    const first = await runCall(cache, hot, async () => textAnswer('haiku one'));
    expect(first.call.status === 'call' && first.call.decision).toBe('bypass');
    const second = await runCall(cache, hot, async () => textAnswer('haiku two'));
    expect(second.text).toBe('haiku two');
  });

  it('degrades to the model when the store is down, and nothing wrong is served', async () => {
    const broken = {
      lookup: async () => {
        throw new Error('store down');
      },
    };
    const problems: string[] = [];
    const call = await startCachedCall({
      lookup: broken.lookup,
      decode: textOf,
      onProblem: (code) => problems.push(code),
    });
    expect(call.status).toBe('call');
    expect(problems).toEqual(['lookup-failed']);
  });

  it('shares one model call among identical calls in flight; a failed leader lets them call themselves', async () => {
    const cache = new SemanticCache({ verifier: false });
    const coalescer = new InFlightAnswers();
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const slow = async () => {
      calls += 1;
      await gate;
      return textAnswer('shared answer');
    };
    const request = chatRequest('How many moons does Mars have?');
    const leader = runCall(cache, request, slow, { coalescer });
    const follower = runCall(cache, request, slow, { coalescer });
    release();
    const [a, b] = await Promise.all([leader, follower]);
    expect([a.text, b.text, calls]).toEqual(['shared answer', 'shared answer', 1]);
    expect(b.call.status === 'hit' && b.call.coalesced).toBe(true);

    const failing = chatRequest('What is the boiling point of water?');
    let failCalls = 0;
    const failLeader = runCall(
      cache,
      failing,
      async () => {
        failCalls += 1;
        throw new Error('model down');
      },
      { coalescer },
    );
    const failFollower = runCall(cache, failing, async () => textAnswer(`own call ${++failCalls}`), {
      coalescer,
    });
    await expect(failLeader).rejects.toThrow('model down');
    expect((await failFollower).text).toBe('own call 2');
  });

  it('stores nothing for an aborted call and releases the calls waiting on it', async () => {
    const cache = new SemanticCache({ verifier: false });
    const coalescer = new InFlightAnswers();
    const controller = new AbortController();
    const request = chatRequest('Translate hello into Spanish.');
    const call = await startCachedCall({
      lookup: () => cache.lookup(request),
      decode: textOf,
      coalesceKey: () => exactKey(request),
      coalescer,
      signal: controller.signal,
    });
    const waiting = runCall(cache, request, async () => textAnswer('hola (own call)'), { coalescer });
    controller.abort();
    expect((await waiting).text).toBe('hola (own call)');
    if (call.status !== 'call') throw new Error('expected a miss');
    const outcome = await call.finish(async () => ({ outcome: 'stored', stored: textAnswer('late') }));
    expect(outcome).toBeUndefined();
    const next = await cache.lookup(request);
    expect(next.status === 'hit' && textOf(next.response)).toBe('hola (own call)');
  });
});
