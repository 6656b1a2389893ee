import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../commands/run-cli';
import type { BenchStoresResults } from './bench-stores-command';
import { writeQuestionFiles } from './qqp-test-files';
import type { SqliteScaleResult } from './semantic-scale-sqlite';

describe('tokenomics bench stores', () => {
  it('times lookups and writes on memory and SQLite, one and several clients, and writes JSON', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-stores-test-'));
    const jsonFile = join(directory, 'stores.json');
    const out: string[] = [];
    const code = await runCli(['bench', 'stores', '--quick', '--json', jsonFile], {
      out: (text) => out.push(text),
      err: () => {},
    });
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchStoresResults;
    expect(results.rows.map((row) => `${row.store}:${row.entries}:${row.clients}`)).toEqual([
      'memory:200:1',
      'sqlite:200:1',
      'sqlite:200:2',
    ]);
    for (const row of results.rows) {
      expect(row.lookups.n).toBe(50 * row.clients);
      expect(row.writes.n).toBe(50 * row.clients);
      expect(row.lookups.perSecond).toBeGreaterThan(0);
      expect(row.lookups.p50Ms).toBeLessThanOrEqual(row.lookups.p99Ms);
    }
    expect(results.skipped).toEqual([
      'memory x 2 clients: an in-memory store is not shared between processes',
    ]);
    expect(results.command).toBe(`tokenomics bench stores --quick --json ${jsonFile}`);
    expect(out.join('\n')).toMatch(/lookups\/s/);
  });
});

describe('tokenomics bench stores --vectors qqp', () => {
  it('stores question vectors and perturbed copies in SQLite, builds the graph in a worker and reports recall@10 against exact search', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-scale-test-'));
    const { pairsFile, embeddingFile } = await writeQuestionFiles(directory, 300);
    const jsonFile = join(directory, 'scale.json');
    const out: string[] = [];
    const argv = [
      'bench',
      'stores',
      '--vectors',
      'qqp',
      '--entries',
      '2000',
      '--queries',
      '10',
      '--passes',
      '1',
    ];
    const code = await runCli(
      [...argv, '--pairs', pairsFile, '--embeddings', embeddingFile, '--json', jsonFile],
      {
        out: (text) => out.push(text),
        err: () => {},
      },
    );
    expect(code).toBe(0);
    const { result } = JSON.parse(await readFile(jsonFile, 'utf8')) as { result: SqliteScaleResult };
    // 600 questions: 10 held out as queries, 590 stored as themselves, the rest perturbed copies.
    expect(result).toMatchObject({ entries: 2000, bases: 590, queries: 10, searches: 10 });
    expect(result.recallAt10).toBeGreaterThanOrEqual(0.9);
    expect(result.searchP50Ms).toBeGreaterThan(0);
    expect(result.rssMb).toBeGreaterThan(0);
    expect(out.join('\n')).toContain('recall@10');
  });

  it('--reuse searches the file an earlier run left (same recall, nothing written again) at the --expansion-search given', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-scale-test-'));
    const { pairsFile, embeddingFile } = await writeQuestionFiles(directory, 300);
    const files = ['--pairs', pairsFile, '--embeddings', embeddingFile, '--directory', directory];
    const argv = ['bench', 'stores', '--vectors', 'qqp', '--entries', '1500', '--queries', '10'];
    const run = async (extra: string[]) => {
      const jsonFile = join(directory, `scale-${extra.length}.json`);
      const io = { out: () => {}, err: () => {} };
      expect(await runCli([...argv, '--passes', '1', ...files, ...extra, '--json', jsonFile], io)).toBe(0);
      return (JSON.parse(await readFile(jsonFile, 'utf8')) as { result: SqliteScaleResult }).result;
    };
    const first = await run([]);
    const again = await run(['--reuse', '--expansion-search', '96']);
    expect(first.reusedFile).toBe(false);
    expect(again).toMatchObject({ reusedFile: true, writeSeconds: 0, entries: 1500 });
    expect(again.index).toContain('ef=96');
    expect(again.recallAt10).toBeGreaterThanOrEqual(first.recallAt10);
  });

  it('names the command that embeds the questions when the embedding file lacks them', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-scale-test-'));
    const { pairsFile } = await writeQuestionFiles(directory, 5);
    const embeddingFile = join(directory, 'empty.bin');
    await writeFile(embeddingFile, Buffer.alloc(0));
    const errors: string[] = [];
    const code = await runCli(
      ['bench', 'stores', '--vectors', 'qqp', '--pairs', pairsFile, '--embeddings', embeddingFile],
      { out: () => {}, err: (text) => errors.push(text) },
    );
    expect(code).not.toBe(0);
    expect(errors.join('')).toContain('bench cache --pairs');
  });
});
