import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../commands/run-cli';
import type { BenchStoresResults } from './bench-stores-command';

describe('tokenomics bench server-stores', () => {
  it('measures the in-memory store without servers, prints both tables and writes the rows as JSON', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-stores-test-'));
    const jsonFile = join(directory, 'stores.json');
    const out: string[] = [];
    const code = await runCli(['bench', 'server-stores', '--quick', '--json', jsonFile], {
      out: (text) => out.push(text),
      err: () => {},
    });
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchStoresResults;
    expect(results.throughput.map((row) => [row.store, row.entries, row.clients])).toEqual([
      ['memory', 500, 1],
      ['memory', 500, 2],
    ]);
    for (const row of results.throughput) {
      expect(row.lookupsPerSecond).toBeGreaterThan(0);
      expect(row.lookupP99Ms).toBeGreaterThanOrEqual(row.lookupP50Ms);
    }
    // The memory index is exact search: it is its own reference.
    expect(results.semantic).toMatchObject([{ store: 'memory', entries: 200, recallAt10: 1 }]);
    expect(out.join('\n')).toContain('recall@10');
    expect(results.machine.cores).toBeGreaterThan(0);
  });

  it('refuses an unknown argument', async () => {
    const errors: string[] = [];
    const code = await runCli(['bench', 'server-stores', 'extra'], {
      out: () => {},
      err: (text) => errors.push(text),
    });
    expect(code).toBe(2);
    expect(errors.join('')).toContain('Unexpected argument extra');
  });
});
