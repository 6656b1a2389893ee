import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SemanticCache } from '../cache/semantic-cache';
import type { CacheWarning } from '../cache/types';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { exactKey } from '../request/keys';
import { chatRequest, manualClock, textAnswer } from '../test-utils/cache-fixtures';
import { createSqliteCache } from './create-sqlite-cache';
import { openSqliteCache } from './open-sqlite-cache';

let directory: string;
let path: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-'));
  path = join(directory, 'cache.db');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const embedder = new HashingEmbedder();
// The shipped verifier is trained on USE-lite similarities; these tests use the hashing embedder.
const verifier = false as const;
const topics = [
  'oceans',
  'mountains',
  'rivers',
  'deserts',
  'forests',
  'glaciers',
  'volcanoes',
  'islands',
  'lakes',
  'canyons',
];

describe('SQLite cache', () => {
  it('serves exact and semantic hits after the process restarts (a new instance)', async () => {
    const first = await createSqliteCache({ path, embedder, verifier, threshold: 0.7 });
    await first.store(chatRequest('What is the capital city of France?'), textAnswer('Paris.'));
    await first.close();

    const second = await createSqliteCache({ path, embedder, verifier, threshold: 0.7 });
    const exact = await second.lookup(chatRequest('What is the capital city of France?'));
    expect(exact).toMatchObject({ status: 'hit', kind: 'exact' });
    const semantic = await second.lookup(chatRequest('what is the capital city of france'));
    expect(semantic).toMatchObject({ status: 'hit', kind: 'semantic' });
    expect(
      await second.lookup(chatRequest('What is the capital city of France?', { scope: { tenant: 'other' } })),
    ).toMatchObject({
      status: 'miss',
    });
    await second.close();
  });

  it('saves the HNSW graph next to the file, reloads it, and applies deletions made after the save', async () => {
    // Same words, other case and punctuation: similarity ~1; another topic stays below 0.95.
    const settings = { embedder, verifier, threshold: 0.95 };
    const vectorIndex = { approximateFrom: 4 };
    const first = await openSqliteCache({ path, vectorIndex });
    const firstCache = new SemanticCache({ ...settings, store: first.store, vectorIndex: first.vectorIndex });
    for (const topic of topics)
      await firstCache.store(
        chatRequest(`Tell me three facts about ${topic}.`),
        textAnswer(`Facts on ${topic}`),
      );
    // The graph is built in a worker; until then lookups answer from an exact scan.
    const oceans = await firstCache.lookup(chatRequest('tell me three facts about oceans'));
    expect(oceans).toMatchObject({
      status: 'hit',
      kind: 'semantic',
      response: { content: [{ text: 'Facts on oceans' }] },
    });
    await first.vectorIndex.warmUp();
    await firstCache.close();
    expect(readdirSync(`${path}.vectors`).filter((name) => name.endsWith('.usearch'))).toHaveLength(1);

    const options = { path, ...settings, vectorIndex };
    const second = await createSqliteCache(options);
    const reloaded = await second.lookup(chatRequest('tell me three facts about rivers'));
    expect(reloaded).toMatchObject({
      status: 'hit',
      kind: 'semantic',
      response: { content: [{ text: 'Facts on rivers' }] },
    });
    await second.invalidate({ keys: [exactKey(chatRequest('Tell me three facts about rivers.'))] });
    await second.store(chatRequest('Tell me three facts about comets.'), textAnswer('Facts on comets'));
    // Close without saving the graph, as a crash would: the next open must still be right.
    await (second as unknown as { entries: { close(): Promise<void> } }).entries.close();

    const third = await createSqliteCache(options);
    expect(await third.lookup(chatRequest('tell me three facts about rivers'))).toMatchObject({
      status: 'miss',
    });
    const comets = await third.lookup(chatRequest('tell me three facts about comets'));
    expect(comets.status === 'hit' && comets.response.content[0]).toEqual({
      type: 'text',
      text: 'Facts on comets',
    });
    await third.close();
  });

  it('evicts the least recently used entries beyond maxEntries, with their vectors', async () => {
    const sqlite = await openSqliteCache({ path, maxEntries: 3 });
    const clock = manualClock();
    const cache = new SemanticCache({
      store: sqlite.store,
      vectorIndex: sqlite.vectorIndex,
      embedder,
      verifier,
      now: clock.now,
    });
    for (const topic of topics.slice(0, 3)) {
      clock.advance(10);
      await cache.store(chatRequest(`Facts about ${topic}?`), textAnswer(topic));
    }
    clock.advance(10);
    expect((await cache.lookup(chatRequest('Facts about oceans?'))).status).toBe('hit');
    clock.advance(10);
    await cache.store(chatRequest('Facts about deserts?'), textAnswer('deserts'));
    expect(await sqlite.store.count()).toBe(3);
    expect((await cache.lookup(chatRequest('Facts about mountains?'))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('Facts about oceans?'))).status).toBe('hit');
    const vectors = new Database(path, { readonly: true });
    expect((vectors.prepare('SELECT count(*) AS count FROM vectors').get() as { count: number }).count).toBe(
      3,
    );
    vectors.close();
    await cache.close();
  });

  it('skips a corrupted entry with a warning and never serves it', async () => {
    const warnings: CacheWarning[] = [];
    const cache = await createSqliteCache({
      path,
      embedder,
      verifier,
      onWarning: (warning) => warnings.push(warning),
    });
    await cache.store(chatRequest('Opening hours?'), textAnswer('9 to 5.'));
    const raw = new Database(path);
    raw.prepare('UPDATE entries SET payload = ?').run('{"v":1,"response":');
    raw.close();
    expect((await cache.lookup(chatRequest('Opening hours?'))).status).toBe('miss');
    expect(warnings.map((warning) => warning.code)).toEqual(['corrupted-entry']);
    await cache.close();
  });

  it('keeps tags and TTL across a restart', async () => {
    const clock = manualClock();
    const first = await createSqliteCache({ path, embedder, verifier, now: clock.now });
    await first.store(chatRequest('Price of plan A?'), textAnswer('$10'), {
      tags: ['pricing'],
      ttlMs: 60_000,
    });
    await first.store(chatRequest('Opening hours?'), textAnswer('9 to 5.'), { ttlMs: 1_000 });
    await first.close();
    clock.advance(2_000);
    const second = await createSqliteCache({ path, embedder, verifier, now: clock.now });
    expect((await second.lookup(chatRequest('Opening hours?'))).status).toBe('miss');
    expect((await second.lookup(chatRequest('Price of plan A?'))).status).toBe('hit');
    expect(await second.invalidate({ tags: ['pricing'] })).toBe(1);
    expect((await second.lookup(chatRequest('Price of plan A?'))).status).toBe('miss');
    await second.close();
    expect(existsSync(path)).toBe(true);
  });

  it('re-scores i8 graph candidates against the stored float32 vectors', async () => {
    const sqlite = await openSqliteCache({ path, vectorIndex: { approximateFrom: 8, dtype: 'i8' } });
    const vectors = await embedder.embed(topics.map((topic) => `Tell me three facts about ${topic}.`));
    await sqlite.vectorIndex.addMany(
      'p',
      vectors.map((vector, index) => ({ key: `k${index}`, vector })),
    );
    await sqlite.vectorIndex.warmUp();
    const [query] = await embedder.embed(['please tell me three facts about deserts']);
    const stored = vectors[3] as Float32Array;
    const exact = stored.reduce(
      (sum, value, index) => sum + value * ((query as Float32Array)[index] as number),
      0,
    );
    const [best] = await sqlite.vectorIndex.search('p', query as Float32Array, 3);
    expect(best?.key).toBe('k3');
    // An i8 graph is off by up to about 0.01 (measured on random 512-d vectors); re-scoring is exact.
    expect(best?.similarity).toBeCloseTo(exact, 6);
    expect(await sqlite.vectorIndex.search('other', stored, 3)).toEqual([]);
    await sqlite.close();
  });
});
