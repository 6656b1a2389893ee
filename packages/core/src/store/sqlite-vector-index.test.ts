import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheWarning } from '../cache/types';
import { openSqliteCache } from './open-sqlite-cache';

let directory: string;
let path: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-sqlite-vectors-'));
  path = join(directory, 'cache.db');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const DIMENSIONS = 16;
/** More than the store searches exactly while a graph is built (10,000): those lookups miss. */
const SAVED = 10_500;
/** More rows written after the save than the store keeps beside a graph before merging (1,000). */
const ADDED = 1_500;

/** Unit vectors from a seeded generator (mulberry32): the same index gives the same vector. */
function vectorOf(index: number): Float32Array {
  let state = index * 0x9e3779b9;
  const vector = new Float32Array(DIMENSIONS);
  for (let position = 0; position < DIMENSIONS; position++) {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    vector[position] = ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296 - 0.5;
  }
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

async function write(from: number, to: number, warnings: CacheWarning[] = []): Promise<void> {
  const sqlite = await openSqliteCache({ path, onWarning: (warning) => warnings.push(warning) });
  for (let start = from; start < to; start += 2_000) {
    const items = [];
    for (let index = start; index < Math.min(to, start + 2_000); index++)
      items.push({ key: `v${index}`, vector: vectorOf(index) });
    await sqlite.vectorIndex.addMany('p', items);
  }
  if (from === 0) await sqlite.vectorIndex.warmUp(['p']);
  await sqlite.close();
}

/** How many of the given entries a search by their own vector finds first. */
async function foundFirst(search: (vector: Float32Array) => Promise<string | undefined>, indexes: number[]) {
  let found = 0;
  for (const index of indexes) if ((await search(vectorOf(index))) === `v${index}`) found++;
  return found;
}

const sample = (from: number, to: number, count: number) =>
  Array.from({ length: count }, (_, at) => from + Math.floor((at * (to - from)) / count));

describe('SQLite vector index, a saved graph far behind the table', () => {
  it('answers at once after a restart (the saved graph and an exact scan of the rows above it), while a worker merges them', async () => {
    const warnings: CacheWarning[] = [];
    // A graph built by the worker and saved, then many rows written by a process that never searched.
    await write(0, SAVED, warnings);
    await write(SAVED, SAVED + ADDED, warnings);

    const sqlite = await openSqliteCache({ path, onWarning: (warning) => warnings.push(warning) });
    const search = async (vector: Float32Array) => (await sqlite.vectorIndex.search('p', vector, 1))[0]?.key;
    // Asked right after the open, before the worker has merged anything: no lookup waits or misses.
    const fromGraph = await foundFirst(search, sample(0, SAVED, 50));
    const written = await foundFirst(search, sample(SAVED, SAVED + ADDED, 50));
    expect(fromGraph).toBeGreaterThanOrEqual(48);
    expect(written).toBe(50);

    await sqlite.vectorIndex.warmUp(['p']);
    expect(await foundFirst(search, sample(SAVED, SAVED + ADDED, 50))).toBe(50);
    await sqlite.vectorIndex.delete(sample(SAVED, SAVED + ADDED, 50).map((index) => `v${index}`));
    expect(await foundFirst(search, sample(SAVED, SAVED + ADDED, 50))).toBe(0);
    await sqlite.close();

    // The merge was saved: one graph file, holding every row of the table.
    const raw = new Database(path, { readonly: true });
    const snapshot = raw.prepare('SELECT max_label FROM ann_snapshots').get() as { max_label: number };
    const table = raw.prepare('SELECT max(label) AS label FROM vectors').get() as { label: number };
    raw.close();
    expect(snapshot.max_label).toBe(table.label);
    expect(readdirSync(`${path}.vectors`).filter((name) => name.endsWith('.usearch'))).toHaveLength(1);
    expect(warnings).toEqual([]);
  }, 120_000);
});

describe('SqliteVectorIndex: graph files a killed save left behind', () => {
  it('removes an unrecorded graph of a process that is gone on the next open, and keeps the recorded one', async () => {
    const first = await openSqliteCache({ path });
    await first.vectorIndex.add('p', 'k', vectorOf(1));
    await first.close();

    const folder = `${path}.vectors`;
    mkdirSync(folder, { recursive: true });
    const stem = 'b'.repeat(32);
    // Above Linux's largest pid (2^22): no process has it.
    const orphan = `${stem}-4194399-old-aaaa.usearch`;
    const recorded = `${stem}-4194398-old-bbbb.usearch`;
    const yesterday = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    for (const name of [orphan, recorded, 'readme.txt']) {
      writeFileSync(join(folder, name), 'graph');
      utimesSync(join(folder, name), yesterday, yesterday);
    }
    const raw = new Database(path);
    raw
      .prepare('INSERT INTO ann_snapshots (partition, file, max_label, settings) VALUES (?, ?, ?, ?)')
      .run('other', recorded, 0, '{}');
    raw.close();

    const reopened = await openSqliteCache({ path });
    expect(readdirSync(folder).sort()).toEqual([recorded, 'readme.txt'].sort());
    expect((await reopened.vectorIndex.search('p', vectorOf(1), 1))[0]?.key).toBe('k');
    await reopened.close();
  });
});

describe('SqliteVectorIndex: a configured snapshot folder', () => {
  it('is not swept: other cache files may have recorded the graphs in it', async () => {
    const shared = join(directory, 'shared-graphs');
    mkdirSync(shared);
    const othersGraph = `${'c'.repeat(32)}-4194397-old-cccc.usearch`;
    writeFileSync(join(shared, othersGraph), 'graph');
    const longAgo = (Date.now() - 3 * 24 * 60 * 60 * 1000) / 1000;
    utimesSync(join(shared, othersGraph), longAgo, longAgo);
    const cache = await openSqliteCache({ path, vectorIndex: { snapshotDirectory: shared } });
    await cache.close();
    expect(readdirSync(shared)).toEqual([othersGraph]);
  });
});
