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

  it('--online-verify replays the pairs as a stream and reports the realised error rate against the target', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-'));
    const pairsFile = join(directory, 'stream.jsonl');
    const jsonFile = join(directory, 'online.json');
    // A stream where a paraphrase of the stored question is asked; one in ten "paraphrases" is labelled
    // as asking something else (its answer differs), so serving every candidate would be 10% wrong.
    const stream = Array.from({ length: 400 }, (_, index) => ({
      a: `How do I reset the password of account ${index}?`,
      b: `how do I reset the password of account ${index}`,
      label: (index % 10 === 0 ? 0 : 1) as 0 | 1,
    }));
    await writeFile(pairsFile, formatLabelledPairs(stream));
    const code = await runCli(
      [
        'bench',
        'cache',
        '--pairs',
        pairsFile,
        '--embedder',
        'hashing',
        '--no-verifier',
        '--sweep-from',
        '0.9',
        '--sweep-to',
        '0.9',
        '--online-verify',
        '--max-error-rate',
        '0.02',
        '--json',
        jsonFile,
      ],
      { out: () => {}, err: () => {} },
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchCacheResults;
    expect(results.online).toMatchObject({ targetErrorRate: 0.02, n: 400 });
    // 10% of candidates disagree: no threshold can prove a 2% bound, so nothing is served.
    expect(results.online!.hits).toBe(0);
    expect(results.online!.verificationCalls).toBeGreaterThan(300);
    expect(results.online!.realisedErrorRate).toBeLessThanOrEqual(0.02);
  });

  it('--split test keeps only the pairs whose questions fall in the test part', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tokenomics-bench-'));
    const pairsFile = join(directory, 'many.jsonl');
    const jsonFile = join(directory, 'split.json');
    const many = Array.from({ length: 100 }, (_, index) => ({
      a: `Question number ${index} about cats?`,
      b: `Question number ${index} about dogs?`,
      label: 0 as const,
    }));
    await writeFile(pairsFile, formatLabelledPairs(many));
    const code = await runCli(
      [
        'bench',
        'cache',
        '--pairs',
        pairsFile,
        '--split',
        'test',
        '--embedder',
        'hashing',
        '--sweep-from',
        '0.9',
        '--sweep-to',
        '0.9',
        '--json',
        jsonFile,
      ],
      { out: () => {}, err: () => {} },
    );
    expect(code).toBe(0);
    const results = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchCacheResults;
    expect(results.default!.n).toBe(20);
  });

  it('refuses to run with nothing to measure', async () => {
    const errors: string[] = [];
    const code = await runCli(['bench', 'cache'], { out: () => {}, err: (text) => errors.push(text) });
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain('Nothing to measure');
  });
});
