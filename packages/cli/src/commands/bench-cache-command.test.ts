import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLabelledPairs } from '../datasets';
import type { BenchCacheResults } from './bench-cache-command';
import { runCli } from './run-cli';

const pairs = [
  // Exact repeat: must hit.
  { a: 'How do I reset my password?', b: 'How do I reset my password?', label: 1 as const },
  // Same question with different punctuation and case: near-identical wording, should hit.
  { a: 'How do I export my reports to CSV?', b: 'how do I export my reports to CSV', label: 1 as const },
  // Look-alikes that ask something else: a number, an entity.
  {
    a: 'Do invoices over $500 get a 10% discount?',
    b: 'Do invoices over $500 get a 6% discount?',
    label: 0 as const,
  },
  { a: 'How do I sort a list in Python?', b: 'How do I sort a list in JavaScript?', label: 0 as const },
  // Unrelated.
  { a: 'What is the capital of France?', b: 'How many legs does a spider have?', label: 0 as const },
];

describe('tokenomics bench cache --pairs', () => {
  it('stores a, asks b, and reports precision, recall, wrong hits and a sweep', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-'));
    const pairsFile = join(directory, 'pairs.jsonl');
    const jsonFile = join(directory, 'out', 'cache.json');
    await writeFile(pairsFile, formatLabelledPairs(pairs));
    const out: string[] = [];
    const code = await runCli(
      [
        'bench',
        'cache',
        '--pairs',
        pairsFile,
        '--embedder',
        'hashing',
        '--sweep-from',
        '0.8',
        '--sweep-to',
        '0.9',
        '--sweep-step',
        '0.1',
        '--json',
        jsonFile,
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchCacheResults;

    expect(results.pairsFile).toBe(pairsFile);
    expect(results.default).toMatchObject({ n: 5, wrongHits: 0, precision: 1 });
    // The exact repeat always hits, so recall is at least 1 of the 2 should-hit pairs.
    expect(results.default!.recall).toBeGreaterThanOrEqual(0.5);
    expect(results.default!.hits).toBe(Math.round(results.default!.recall * 2));
    expect(results.sweep!.map((point) => point.threshold)).toEqual([0.8, 0.9]);
    for (const point of results.sweep!) {
      expect(point.precision).toBeGreaterThanOrEqual(0);
      expect(point.precision).toBeLessThanOrEqual(1);
      // Raw cosine hits every exact repeat too.
      expect(point.cosineOnly.hits).toBeGreaterThanOrEqual(1);
    }
    const precisionTarget = results.targets.find((target) => target.target.startsWith('precision'));
    expect(precisionTarget?.status).toBe(results.default!.recall >= 0.3 ? 'PASS' : 'MISS');
    expect(results.targets.find((target) => target.target.includes('wrong-context'))?.status).toBe('NOT RUN');

    const printed = out.join('\n');
    expect(printed).toContain('Pairs at default settings');
    expect(printed).toContain(pairsFile);
    expect(printed).toContain('Targets:');
  });

  it('refuses to run with nothing to measure', async () => {
    const errors: string[] = [];
    const code = await runCli(['bench', 'cache'], { out: () => {}, err: (text) => errors.push(text) });
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain('Nothing to measure');
  });
});
