import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../commands/run-cli';
import type { BenchStoresResults } from './bench-stores-command';

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
