import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SemanticCache } from '../cache/semantic-cache';
import type { CacheWarning } from '../cache/types';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { openSqliteCache, type SqliteCache } from './open-sqlite-cache';

let directory: string;
let path: string;
const opened: SqliteCache[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-shared-'));
  path = join(directory, 'cache.db');
});

afterEach(async () => {
  for (const sqlite of opened.splice(0)) await sqlite.close().catch(() => {});
  rmSync(directory, { recursive: true, force: true });
});

const embedder = new HashingEmbedder();
const verifier = false as const;

/** Each call is another connection to the file, as another process would hold. */
async function connection(approximateFrom = 1_024, warnings: CacheWarning[] = []) {
  const sqlite = await openSqliteCache({
    path,
    vectorIndex: { approximateFrom },
    onWarning: (warning) => warnings.push(warning),
  });
  opened.push(sqlite);
  const cache = new SemanticCache({
    store: sqlite.store,
    vectorIndex: sqlite.vectorIndex,
    embedder,
    verifier,
    threshold: 0.95,
    onWarning: (warning) => warnings.push(warning),
  });
  return { sqlite, cache };
}

// Varied wording, so that an HNSW graph finds every vector (near-identical texts are clustered
// so tightly that usearch leaves a few of them unreachable, a property of the graph, not the store).
const items = ['bakery', 'museum', 'library', 'pharmacy', 'stadium', 'aquarium', 'cinema', 'market'];
const towns = ['Oslo', 'Lima', 'Perth', 'Quito', 'Dakar', 'Hanoi', 'Turin', 'Leeds'];
const question = (index: number) =>
  `When does the ${items[index % 8]} in ${towns[Math.floor(index / 8) % 8]} open, branch ${index}?`;
const paraphrase = (index: number) => question(index).toLowerCase().replace('?', '');

async function hits(cache: SemanticCache, indexes: number[], ask: (index: number) => string) {
  let found = 0;
  for (const index of indexes) {
    const lookup = await cache.lookup(chatRequest(ask(index)));
    if (lookup.status === 'hit' && lookup.response.content[0]?.type === 'text') {
      expect(lookup.response.content[0].text).toBe(`Shop ${index} opens at 9.`);
      found++;
    }
  }
  return found;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('one SQLite file, several connections', () => {
  it("finds another connection's entries, exact and semantic, without a reopen", async () => {
    const writer = await connection();
    const reader = await connection();
    // The reader loads the partition first, so it must take in what is written after.
    expect((await reader.cache.lookup(chatRequest(paraphrase(0)))).status).toBe('miss');
    for (const index of range(0, 20))
      await writer.cache.store(chatRequest(question(index)), textAnswer(`Shop ${index} opens at 9.`));
    expect(await hits(reader.cache, range(0, 20), question)).toBe(20);
    expect(await hits(reader.cache, range(0, 20), paraphrase)).toBe(20);
  });

  it("finds another connection's vectors after a restart, whoever saved the graph last", async () => {
    // The issue this guards: the saved graph's high-water mark was read from the table, so
    // rows another process wrote below it were never added after a restart.
    const first = await connection(8);
    const second = await connection(8);
    for (const index of range(0, 30)) {
      const writer = index % 2 === 0 ? first : second;
      await writer.cache.store(chatRequest(question(index)), textAnswer(`Shop ${index} opens at 9.`));
    }
    await second.cache.lookup(chatRequest(paraphrase(1)));
    await second.sqlite.vectorIndex.warmUp();
    for (const index of range(30, 40))
      await first.cache.store(chatRequest(question(index)), textAnswer(`Shop ${index} opens at 9.`));
    await first.sqlite.close();
    await second.sqlite.close(); // saves its graph last, having seen only part of the writes

    const restarted = await connection(8);
    await restarted.sqlite.vectorIndex.warmUp();
    expect(await hits(restarted.cache, range(0, 40), paraphrase)).toBe(40);
  });

  it('keeps a partition first searched while empty working when vectors of another length appear', async () => {
    const warnings: CacheWarning[] = [];
    const reader = await connection(1_024, warnings);
    const writer = await connection();
    expect((await reader.cache.lookup(chatRequest(paraphrase(0)))).status).toBe('miss');
    await writer.cache.store(chatRequest(question(0)), textAnswer('Shop 0 opens at 9.'));
    const raw = new Database(path);
    const { partition } = raw.prepare('SELECT partition FROM vectors').get() as { partition: string };
    raw
      .prepare('INSERT INTO vectors (key, partition, vector) VALUES (?, ?, randomblob(12))')
      .run('odd', partition);
    raw.close();
    await writer.cache.store(chatRequest(question(1)), textAnswer('Shop 1 opens at 9.'));
    expect(await hits(reader.cache, [0, 1], paraphrase)).toBe(2);
    expect(warnings.map((warning) => warning.code)).toEqual(['malformed-row']);
  });

  it('refuses a vector of another dimension before writing anything; the partition keeps working', async () => {
    const warnings: CacheWarning[] = [];
    const { sqlite, cache } = await connection(1_024, warnings);
    await cache.store(chatRequest(question(1)), textAnswer('Shop 1 opens at 9.'));
    const raw = new Database(path, { readonly: true });
    const { partition } = raw.prepare('SELECT partition FROM vectors').get() as { partition: string };
    await expect(sqlite.vectorIndex.add(partition, 'odd', new Float32Array(3).fill(0.5))).rejects.toThrow(
      /3 dimensions, the partition 512/,
    );
    await expect(
      sqlite.vectorIndex.add(partition, 'nan', new Float32Array(512).fill(Number.NaN)),
    ).rejects.toThrow(/non-finite/);
    expect((raw.prepare('SELECT count(*) AS count FROM vectors').get() as { count: number }).count).toBe(1);
    raw.close();
    expect(await hits(cache, [1], paraphrase)).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('answers lookups from an exact scan while the graph is built in a worker, then from the graph', async () => {
    const { sqlite, cache } = await connection(16);
    for (const index of range(0, 40))
      await cache.store(chatRequest(question(index)), textAnswer(`Shop ${index} opens at 9.`));
    // The partition outgrew exact search on the 16th write: a worker builds its graph now.
    expect(await hits(cache, range(0, 40), paraphrase)).toBe(40);
    await sqlite.vectorIndex.warmUp();
    expect(await hits(cache, range(0, 40), paraphrase)).toBe(40);
  });
});
