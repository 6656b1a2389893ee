import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheWarning } from '../cache/types';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { exactKey } from '../request/keys';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { type CreateSqliteCacheOptions, createSqliteCache } from './create-sqlite-cache';

let directory: string;
let path: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-faults-'));
  path = join(directory, 'cache.db');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const towns = ['Oslo', 'Lima', 'Perth', 'Quito', 'Dakar', 'Hanoi', 'Turin', 'Leeds', 'Cork', 'Bern'];
const question = (town: string) => `What is the population of ${town}?`;
const paraphrase = (town: string) => `what is the population of ${town.toLowerCase()}`;

async function openCache(warnings: CacheWarning[], options: Partial<CreateSqliteCacheOptions> = {}) {
  return createSqliteCache({
    path,
    embedder: new HashingEmbedder(),
    verifier: false,
    threshold: 0.95,
    onWarning: (warning) => warnings.push(warning),
    ...options,
  });
}

function withRawFile<Result>(work: (raw: Database.Database) => Result): Result {
  const raw = new Database(path);
  try {
    return work(raw);
  } finally {
    raw.close();
  }
}

describe('SQLite store faults', () => {
  it.each([
    ['a payload stored as a blob', 'UPDATE entries SET payload = CAST(payload AS BLOB) WHERE key = ?'],
    ['a creation time that is not a number', "UPDATE entries SET created_at = 'yesterday' WHERE key = ?"],
    ['an expiry that is not a number', "UPDATE entries SET expires_at = 'never' WHERE key = ?"],
    ['a tag stored as a blob', "INSERT INTO entry_tags (key, tag) VALUES (?, X'00ff')"],
    [
      'truncated JSON',
      `UPDATE entries SET payload = '{"v":1,"response":{"content":[{"type":"te' WHERE key = ?`,
    ],
  ])(
    'skips and reports an entry with %s, never serves it, and keeps serving the others',
    async (_, damage) => {
      const warnings: CacheWarning[] = [];
      const cache = await openCache(warnings);
      for (const town of towns.slice(0, 3))
        await cache.store(chatRequest(question(town)), textAnswer(`${town}: many`));
      expect((await cache.lookup(chatRequest(question('Oslo')))).status).toBe('hit');
      withRawFile((raw) => raw.prepare(damage).run(exactKey(chatRequest(question('Oslo')))));

      expect((await cache.lookup(chatRequest(question('Oslo')))).status).toBe('miss');
      expect((await cache.lookup(chatRequest(paraphrase('Oslo')))).status).toBe('miss');
      expect(warnings.map((warning) => warning.code)).toEqual([
        expect.stringMatching(/^(malformed-row|corrupted-entry)$/),
      ]);
      for (const town of ['Lima', 'Perth']) {
        const exact = await cache.lookup(chatRequest(question(town)));
        expect(exact.status === 'hit' && exact.response.content[0]).toEqual({
          type: 'text',
          text: `${town}: many`,
        });
        expect((await cache.lookup(chatRequest(paraphrase(town)))).status).toBe('hit');
      }
      // Skipped for good: the damaged row is gone, so it is reported once.
      expect(withRawFile((raw) => raw.prepare('SELECT count(*) AS count FROM entries').get())).toEqual({
        count: 2,
      });
      await cache.close();
    },
  );

  it.each([
    ['another dimension', 'randomblob(12)'],
    ['a truncated blob', 'randomblob(2047)'],
    ['non-finite values', "X'" + '0000c07f'.repeat(512) + "'"],
    ['text instead of a blob', "'not a vector'"],
  ])('skips and reports vector rows of %s, in exact and graph search, after a restart', async (_, value) => {
    for (const approximateFrom of [1_024, 4]) {
      const warnings: CacheWarning[] = [];
      const first = await openCache([], { vectorIndex: { approximateFrom } });
      for (const town of towns) await first.store(chatRequest(question(town)), textAnswer(`${town}: many`));
      await first.close();
      withRawFile((raw) => {
        const { partition } = raw.prepare('SELECT partition FROM vectors LIMIT 1').get() as {
          partition: string;
        };
        const insert = raw.prepare(`INSERT INTO vectors (key, partition, vector) VALUES (?, ?, ${value})`);
        for (const town of towns.slice(0, 2)) insert.run(`bad-${town}`, partition);
      });
      const second = await openCache(warnings, { vectorIndex: { approximateFrom } });
      for (const town of towns) {
        const hit = await second.lookup(chatRequest(paraphrase(town)));
        expect(hit.status === 'hit' && hit.response.content[0]).toEqual({
          type: 'text',
          text: `${town}: many`,
        });
      }
      expect(warnings.map((warning) => warning.code)).toContain('malformed-row');
      expect(warnings.every((warning) => warning.code === 'malformed-row')).toBe(true);
      await second.close();
      rmSync(directory, { recursive: true, force: true });
      directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-faults-'));
      path = join(directory, 'cache.db');
    }
  });

  it('reports a write that stays locked out (warning and trace) and answers lookups meanwhile', async () => {
    const warnings: CacheWarning[] = [];
    const cache = await openCache(warnings, { busyTimeoutMs: 5, writeAttempts: 3 });
    await cache.store(chatRequest(question('Oslo')), textAnswer('Oslo: many'));
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const outcome = await cache.store(chatRequest(question('Lima')), textAnswer('Lima: many'));
      expect(outcome).toMatchObject({ stored: false, trace: { decision: 'skip-store' } });
      expect(outcome.stored === false && outcome.reason).toMatch(/locked/);
      expect(warnings.map((warning) => warning.code)).toEqual(['store-failed']);
      // Reads do not wait for the writer.
      expect((await cache.lookup(chatRequest(question('Oslo')))).status).toBe('hit');
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    await cache.close();
  });

  it('retries a write while another process holds the lock, and stores it once the lock is free', async () => {
    const cache = await openCache([], { busyTimeoutMs: 5, writeAttempts: 50 });
    const blocker = new Database(path);
    blocker.exec('BEGIN IMMEDIATE');
    const release = setTimeout(() => {
      blocker.exec('COMMIT');
      blocker.close();
    }, 100);
    const outcome = await cache.store(chatRequest(question('Lima')), textAnswer('Lima: many'));
    clearTimeout(release);
    if (blocker.open) blocker.close();
    expect(outcome.stored).toBe(true);
    expect((await cache.lookup(chatRequest(paraphrase('Lima')))).status).toBe('hit');
    await cache.close();
  });

  it('keeps the exact entry when its vector is refused, and says so in the warning and the trace', async () => {
    const warnings: CacheWarning[] = [];
    const hashing = new HashingEmbedder();
    let short = false;
    // Same id, so the same partition: one answer of the wrong length, as a misbehaving embedder gives.
    const embedder = {
      id: hashing.id,
      dimensions: 512,
      embed: async (texts: string[]) =>
        short ? texts.map(() => new Float32Array([0.6, 0.8])) : hashing.embed(texts),
    };
    const cache = await openCache(warnings, { embedder });
    await cache.store(chatRequest(question('Oslo')), textAnswer('Oslo: many'));
    short = true;
    const outcome = await cache.store(chatRequest(question('Lima')), textAnswer('Lima: many'));
    short = false;
    expect(outcome).toMatchObject({ stored: true, trace: { details: { semantic: false } } });
    expect(outcome.trace.details?.vectorError).toMatch(/2 dimensions, the partition 512/);
    expect(warnings.map((warning) => warning.code)).toEqual(['vector-index-failed']);
    expect((await cache.lookup(chatRequest(question('Lima')))).status).toBe('hit');
    expect((await cache.lookup(chatRequest(paraphrase('Oslo')))).status).toBe('hit');
    await cache.close();
  });
});
