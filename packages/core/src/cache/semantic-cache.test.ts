import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { exactKey } from '../request/keys';
import { MemoryCacheStore } from '../store/memory-cache-store';
import { MemoryVectorIndex } from '../store/memory-vector-index';
import type { CacheEntryStore, VectorIndex } from '../store/types';
import { chatRequest, manualClock, textAnswer } from '../test-utils/cache-fixtures';
import type { CachedResponse } from './cached-response';
import { SemanticCache } from './semantic-cache';
import type { CacheLookup, CacheWarning, PairVerifier, SemanticCacheOptions } from './types';

function newCache(options: SemanticCacheOptions = {}) {
  const warnings: CacheWarning[] = [];
  const cache = new SemanticCache({
    embedder: new HashingEmbedder(),
    threshold: 0.7,
    // The shipped verifier is trained on USE-lite similarities; these tests use the hashing embedder.
    verifier: false,
    onWarning: (warning) => warnings.push(warning),
    ...options,
  });
  return { cache, warnings };
}

function answerOf(result: CacheLookup): string | undefined {
  if (result.status !== 'hit') return undefined;
  return result.response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

const question = 'What is the capital city of France?';
const paraphrase = 'what is the capital city of france';

describe('SemanticCache', () => {
  it('serves an exact hit for the same request, as a fresh copy', async () => {
    const { cache } = newCache();
    const stored = await cache.store(chatRequest(question), textAnswer('Paris.'));
    expect(stored.stored).toBe(true);
    const first = await cache.lookup(chatRequest(question));
    expect(first).toMatchObject({ status: 'hit', kind: 'exact' });
    expect(answerOf(first)).toBe('Paris.');
    if (first.status === 'hit') (first.response.content[0] as { text: string }).text = 'mutated';
    expect(answerOf(await cache.lookup(chatRequest(question)))).toBe('Paris.');
  });

  it('serves a paraphrase through semantic lookup with the similarity in the trace', async () => {
    const { cache } = newCache();
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    const result = await cache.lookup(chatRequest(paraphrase));
    expect(result.status).toBe('hit');
    if (result.status !== 'hit') return;
    expect(result.kind).toBe('semantic');
    expect(answerOf(result)).toBe('Paris.');
    expect(result.similarity).toBeGreaterThan(0.7);
    expect(result.trace).toMatchObject({
      stage: 'cache',
      decision: 'hit',
      details: { kind: 'semantic', candidates: 1 },
    });
  });

  it('misses a question about something else', async () => {
    const { cache } = newCache();
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    const result = await cache.lookup(chatRequest('How do I bake sourdough bread at home?'));
    expect(result.status).toBe('miss');
    expect(result.trace.reason).toBe('below threshold');
  });

  it('lets the guards reject a look-alike with a different number', async () => {
    const { cache } = newCache({ threshold: 0.5 });
    await cache.store(chatRequest('What is 10% of 250 dollars?'), textAnswer('25 dollars.'));
    const result = await cache.lookup(chatRequest('What is 6% of 250 dollars?'));
    expect(result.status).toBe('miss');
    expect(JSON.stringify(result.trace.details)).toContain('guard:numbers');
  });

  it('never serves another tenant, exactly or semantically', async () => {
    const { cache } = newCache();
    await cache.store(chatRequest(question, { scope: { tenant: 'acme' } }), textAnswer('Paris.'));
    expect((await cache.lookup(chatRequest(question, { scope: { tenant: 'globex' } }))).status).toBe('miss');
    expect((await cache.lookup(chatRequest(paraphrase, { scope: { tenant: 'globex' } }))).status).toBe(
      'miss',
    );
    expect(
      (await cache.lookup(chatRequest(question, { scope: { tenant: 'acme', user: 'u2' } }))).status,
    ).toBe('miss');
  });

  it.each([
    ['system prompt', { system: 'Answer in French.' }],
    ['tools', { tools: [{ name: 'search', description: 'Search the web' }] }],
    ['model', { model: 'openai:gpt-4o' }],
    ['settings', { settings: { temperature: 0, maxOutputTokens: 10 } }],
  ])('misses when the %s differs, even for a paraphrase', async (_name, overrides) => {
    const { cache } = newCache();
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    expect((await cache.lookup(chatRequest(question, overrides))).status).toBe('miss');
    expect((await cache.lookup(chatRequest(paraphrase, overrides))).status).toBe('miss');
  });

  it('bypasses temperature > 0 unless asked to cache non-deterministic calls', async () => {
    const hot = chatRequest(question, { settings: { temperature: 0.7 } });
    const { cache } = newCache();
    const refused = await cache.store(hot, textAnswer('Paris.'));
    expect(refused).toMatchObject({ stored: false });
    const lookup = await cache.lookup(hot);
    expect(lookup.status).toBe('bypass');
    expect(lookup.status === 'bypass' && lookup.reason).toContain('temperature');

    const { cache: opted } = newCache({ cacheNonDeterministic: true });
    await opted.store(hot, textAnswer('Paris.'));
    expect((await opted.lookup(hot)).status).toBe('hit');
    const otherTemperature = chatRequest(question, { settings: { temperature: 0.3 } });
    expect((await opted.lookup(otherTemperature)).status).toBe('miss');
    expect((await opted.lookup(chatRequest(question))).status).toBe('miss');
  });

  it('matches a follow-up only within a conversation with the same context', async () => {
    const { cache } = newCache();
    const followUp = 'What are its main types?';
    await cache.store(
      chatRequest(['Tell me about the Python programming language.', 'Python is ...', followUp]),
      textAnswer('Python types'),
    );

    const otherConversation = chatRequest([
      'Tell me about the ball python snake.',
      'Ball pythons are ...',
      followUp,
    ]);
    const other = await cache.lookup(otherConversation);
    expect(other.status).toBe('miss');

    const firstTurn = await cache.lookup(chatRequest(followUp));
    expect(firstTurn.status).toBe('miss');

    const sameContext = chatRequest([
      'Tell me about the Python programming language.',
      'Python is ...',
      'what are its main types',
    ]);
    expect(answerOf(await cache.lookup(sameContext))).toBe('Python types');
  });

  it('does not match a follow-up whose earlier answer differs', async () => {
    const { cache } = newCache();
    await cache.store(
      chatRequest(['Name a programming language.', 'Python.', 'What are its main types?']),
      textAnswer('Python types'),
    );
    const otherAnswer = chatRequest(['Name a programming language.', 'Rust.', 'What are its main types?']);
    expect((await cache.lookup(otherAnswer)).status).toBe('miss');
  });

  it('expires entries after their TTL and never serves them', async () => {
    const clock = manualClock();
    const { cache } = newCache({ now: clock.now, ttlMs: 1_000 });
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    await cache.store(chatRequest('Name a large ocean.'), textAnswer('Pacific.'), { ttlMs: 10_000 });
    clock.advance(1_001);
    expect((await cache.lookup(chatRequest(question))).status).toBe('miss');
    expect((await cache.lookup(chatRequest(paraphrase))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('Name a large ocean.'))).status).toBe('hit');
    clock.advance(10_000);
    expect((await cache.lookup(chatRequest('Name a large ocean.'))).status).toBe('miss');
  });

  it('invalidates by tag, by key and by scope (a tenant reaches all its users)', async () => {
    const store = new MemoryCacheStore();
    const { cache } = newCache({ store });
    await cache.store(chatRequest('Price of plan A?'), textAnswer('$10'), { tags: ['pricing'] });
    await cache.store(chatRequest('Price of plan B?'), textAnswer('$20'), { tags: ['pricing'] });
    await cache.store(chatRequest('Opening hours?'), textAnswer('9-5'));
    expect(await cache.invalidate({ tags: ['pricing'] })).toBe(2);
    expect((await cache.lookup(chatRequest('Price of plan A?'))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('price of plan A'))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('Opening hours?'))).status).toBe('hit');

    expect(await cache.invalidate({ keys: [exactKey(chatRequest('Opening hours?'))] })).toBe(1);
    expect(await store.count()).toBe(0);

    await cache.store(chatRequest(question, { scope: { tenant: 'acme', user: 'u1' } }), textAnswer('Paris.'));
    await cache.store(chatRequest(question, { scope: { tenant: 'acme', user: 'u2' } }), textAnswer('Paris.'));
    await cache.store(chatRequest(question, { scope: { tenant: 'globex' } }), textAnswer('Paris.'));
    expect(await cache.invalidate({ scope: { tenant: 'acme' } })).toBe(2);
    expect(
      (await cache.lookup(chatRequest(question, { scope: { tenant: 'acme', user: 'u1' } }))).status,
    ).toBe('miss');
    expect((await cache.lookup(chatRequest(question, { scope: { tenant: 'globex' } }))).status).toBe('hit');
  });

  it('evicts the least recently used entry and its vector', async () => {
    const vectorIndex = new MemoryVectorIndex();
    const { cache } = newCache({ store: new MemoryCacheStore({ maxEntries: 2 }), vectorIndex });
    await cache.store(chatRequest('First question about oceans?'), textAnswer('1'));
    await cache.store(chatRequest('Second question about mountains?'), textAnswer('2'));
    expect((await cache.lookup(chatRequest('First question about oceans?'))).status).toBe('hit');
    await cache.store(chatRequest('Third question about rivers?'), textAnswer('3'));
    expect((await cache.lookup(chatRequest('Second question about mountains?'))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('First question about oceans?'))).status).toBe('hit');
    expect(vectorIndex.size).toBe(2);
  });

  it.each([
    ['length', textAnswer('Paris is the cap', 'length')],
    ['error', textAnswer('', 'error')],
    ['content-filter', textAnswer('…', 'content-filter')],
    ['empty', textAnswer('   ')],
  ] as Array<[string, CachedResponse]>)('refuses to store a %s answer', async (_name, response) => {
    const { cache } = newCache();
    const outcome = await cache.store(chatRequest(question), response);
    expect(outcome.stored).toBe(false);
    expect(outcome.trace.decision).toBe('skip-store');
    expect((await cache.lookup(chatRequest(question))).status).toBe('miss');
  });

  it('stores a tool-call answer and refuses aborted calls and failed validation', async () => {
    const { cache } = newCache({ validate: (response) => !JSON.stringify(response).includes('forbidden') });
    const toolCall: CachedResponse = {
      content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } }],
      finishReason: 'tool-calls',
      usage: {},
    };
    expect((await cache.store(chatRequest('Weather in Paris?'), toolCall)).stored).toBe(true);
    expect((await cache.lookup(chatRequest('Weather in Paris?'))).status).toBe('hit');
    expect((await cache.store(chatRequest('Say it'), textAnswer('forbidden'))).stored).toBe(false);
    const controller = new AbortController();
    controller.abort();
    expect(
      (await cache.store(chatRequest('Abort me'), textAnswer('x'), { signal: controller.signal })).stored,
    ).toBe(false);
    const { cache: throwing } = newCache({
      validate: () => {
        throw new Error('validator broke');
      },
    });
    const outcome = await throwing.store(chatRequest(question), textAnswer('Paris.'));
    expect(outcome).toMatchObject({ stored: false });
  });

  it('skips a corrupted entry with a warning, deletes it and never serves it', async () => {
    const store = new MemoryCacheStore();
    const { cache, warnings } = newCache({ store });
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    const key = exactKey(chatRequest(question));
    const record = await store.get(key);
    if (!record) throw new Error('entry missing');
    await store.set({ ...record, payload: '{"v":1,"response":{"content":"not a list"' });
    expect((await cache.lookup(chatRequest(question))).status).toBe('miss');
    expect((await cache.lookup(chatRequest(paraphrase))).status).toBe('miss');
    expect(warnings.map((warning) => warning.code)).toContain('corrupted-entry');
    expect(await store.get(key)).toBeUndefined();
  });

  it('never serves a remembered decode once the stored payload changed underneath', async () => {
    const store = new MemoryCacheStore();
    const { cache, warnings } = newCache({ store, semantic: false });
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    // Served twice: the second hit comes from the decoded-entry memo.
    expect(answerOf(await cache.lookup(chatRequest(question)))).toBe('Paris.');
    expect(answerOf(await cache.lookup(chatRequest(question)))).toBe('Paris.');
    const key = exactKey(chatRequest(question));
    const record = await store.get(key);
    if (!record) throw new Error('entry missing');
    // Another process sharing the store rewrites the entry with the same creation time.
    await store.set({ ...record, payload: record.payload.replace('Paris.', 'Lyon?') });
    expect(answerOf(await cache.lookup(chatRequest(question)))).toBe('Lyon?');
    await store.set({ ...record, payload: '{"v":1,"response":{"content":"not a list"' });
    expect((await cache.lookup(chatRequest(question))).status).toBe('miss');
    expect(warnings.map((warning) => warning.code)).toContain('corrupted-entry');
  });

  it('hands out independent copies on repeated hits, down to nested objects', async () => {
    const { cache } = newCache({ semantic: false });
    const answer: CachedResponse = {
      content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 5 },
      metadata: { provider: { id: 'x' } },
    };
    await cache.store(chatRequest(question), answer);
    for (let round = 0; round < 3; round++) {
      const hit = await cache.lookup(chatRequest(question));
      if (hit.status !== 'hit') throw new Error('expected a hit');
      expect(hit.response).toEqual(answer);
      const part = hit.response.content[0] as { input: { city: string } };
      part.input.city = 'Rome';
      (hit.response.metadata as { provider: { id: string } }).provider.id = 'changed';
      hit.response.content.push({ type: 'text', text: 'extra' });
    }
  });

  it('uses the exact key a caller already computed', async () => {
    const { cache } = newCache({ semantic: false });
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    const key = exactKey(chatRequest(question));
    const hit = await cache.lookup(chatRequest(question), { exactKey: key });
    expect(hit).toMatchObject({ status: 'hit', kind: 'exact', key });
  });

  it('fails open when the store throws: a miss with decision error and a warning', async () => {
    const broken: CacheEntryStore = {
      get: async () => {
        throw new Error('disk on fire');
      },
      set: async () => {
        throw new Error('disk on fire');
      },
      touch: async () => {},
      delete: async () => {},
      keysByTag: async () => [],
      keysByScope: async () => [],
      purgeExpired: async () => [],
      count: async () => 0,
    };
    const { cache, warnings } = newCache({ store: broken });
    const result = await cache.lookup(chatRequest(question));
    expect(result.status).toBe('miss');
    expect(result.trace.decision).toBe('error');
    expect(warnings[0]?.code).toBe('lookup-failed');
    const stored = await cache.store(chatRequest(question), textAnswer('Paris.'));
    expect(stored.stored).toBe(false);
  });

  it('fails open when the vector index or embedder throws, and exact hits still work', async () => {
    const brokenIndex: VectorIndex = {
      add: async () => {
        throw new Error('index down');
      },
      search: async () => {
        throw new Error('index down');
      },
      delete: async () => {},
    };
    const { cache, warnings } = newCache({ vectorIndex: brokenIndex });
    expect((await cache.store(chatRequest(question), textAnswer('Paris.'))).stored).toBe(true);
    expect((await cache.lookup(chatRequest(question))).status).toBe('hit');
    const semantic = await cache.lookup(chatRequest(paraphrase));
    expect(semantic).toMatchObject({ status: 'miss', trace: { decision: 'error' } });
    expect(warnings.map((warning) => warning.code)).toContain('vector-index-failed');

    const { cache: noEmbedder } = newCache({
      embedder: {
        id: 'broken',
        dimensions: 4,
        embed: async () => Promise.reject(new Error('model missing')),
      },
    });
    expect((await noEmbedder.lookup(chatRequest(question))).trace.decision).toBe('error');
  });

  it('embeds each request once and reuses the vectors when storing after a miss', async () => {
    const inner = new HashingEmbedder();
    let calls = 0;
    const embedder = {
      id: inner.id,
      dimensions: inner.dimensions,
      embed: (texts: string[]) => {
        calls += 1;
        return inner.embed(texts);
      },
    };
    const { cache } = newCache({ embedder });
    const request = chatRequest(['Tell me about Rust.', 'Rust is ...', 'What are its main features?']);
    const result = await cache.lookup(request);
    expect(result.status).toBe('miss');
    expect(calls).toBe(1);
    await cache.store(request, textAnswer('Ownership.'), {
      pending: result.status === 'miss' ? result.pending : undefined,
    });
    expect(calls).toBe(1);
  });

  it('asks the verifier about reworded questions and rejects those it scores low', async () => {
    const reworded = 'Tell me the capital city of France';
    const seen: string[] = [];
    const verifier: PairVerifier = {
      id: 'test-verifier',
      threshold: 0.5,
      score: async (pairs) =>
        pairs.map((pair) => {
          seen.push(pair.query);
          return pair.query === reworded ? 0.9 : 0.1;
        }),
    };
    const { cache } = newCache({ verifier, threshold: 0.5 });
    await cache.store(chatRequest(question), textAnswer('Paris.'));
    expect((await cache.lookup(chatRequest(reworded))).status).toBe('hit');
    const rejected = await cache.lookup(chatRequest('So, what is the capital city of France?'));
    expect(rejected.status).toBe('miss');
    expect(JSON.stringify(rejected.trace.details)).toContain('"rejected":"verifier"');
    // Same words, other case and punctuation: nothing for the verifier to judge.
    expect((await cache.lookup(chatRequest(paraphrase))).status).toBe('hit');
    expect(seen).toEqual([reworded, 'So, what is the capital city of France?']);

    const failing: PairVerifier = {
      id: 'failing',
      threshold: 0.5,
      score: async () => Promise.reject(new Error('onnx crashed')),
    };
    const { cache: failClosed, warnings } = newCache({ verifier: failing, threshold: 0.5 });
    await failClosed.store(chatRequest(question), textAnswer('Paris.'));
    expect((await failClosed.lookup(chatRequest(reworded))).status).toBe('miss');
    expect(warnings.map((warning) => warning.code)).toContain('verifier-failed');
  });

  it('serves media requests and a 1 MB prompt by exact key only, with a reason', async () => {
    const { cache } = newCache();
    const image = chatRequest('Describe this image.');
    image.messages[1]?.content.push({
      type: 'media',
      mediaType: 'image/png',
      data: new Uint8Array([1, 2, 3]),
    });
    await cache.store(image, textAnswer('A cat.'));
    expect((await cache.lookup(image)).status).toBe('hit');
    const otherImage = chatRequest('Describe this image.');
    otherImage.messages[1]?.content.push({
      type: 'media',
      mediaType: 'image/png',
      data: new Uint8Array([9, 9, 9]),
    });
    const missed = await cache.lookup(otherImage);
    expect(missed.status).toBe('miss');
    expect(missed.trace.reason).toContain('has-media');

    const huge = chatRequest(`Summarize: ${'lorem ipsum '.repeat(90_000)}`);
    const hugeMiss = await cache.lookup(huge);
    expect(hugeMiss.status).toBe('miss');
    expect(hugeMiss.trace.reason).toContain('too-long');
    await cache.store(huge, textAnswer('Lorem.'));
    expect((await cache.lookup(huge)).status).toBe('hit');
  });
});
