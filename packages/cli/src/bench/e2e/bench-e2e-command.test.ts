import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchE2eCommand } from './bench-e2e-command';
import type { RunReport } from './run-totals';

const DATA = new URL('../../../../../../shared/datasets', import.meta.url).pathname;
const present = existsSync(join(DATA, 'routing')) && existsSync(join(DATA, 'cache'));
if (!present) console.warn(`bench e2e smoke test skipped: ${DATA} not found (the shared datasets)`);

describe.skipIf(!present)('tokenomics bench e2e (CI-sized)', () => {
  it('replays the workload through always-strong, each stage alone and all stages, charging every call', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
    const json = join(folder, 'e2e.json');
    const out: string[] = [];
    const code = await benchE2eCommand(
      [
        '--data-dir',
        DATA,
        '--limit',
        '40',
        '--embedder',
        'hashing',
        '--embedding-cache',
        join(folder, 'embeddings'),
        '--json',
        json,
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      n: number;
      baseline: { quality: number; cost: number };
      runs: RunReport[];
    };
    rmSync(folder, { recursive: true });
    expect(out.join('\n')).toContain('all stages');
    expect(report.n).toBe(40);
    expect(report.baseline.cost).toBeGreaterThan(0);
    const run = (name: string) => report.runs.find((candidate) => candidate.name === name)!;
    expect(report.runs.map((candidate) => candidate.name)).toEqual([
      'cache only',
      'compression only',
      'routing only',
      'all stages',
      'all stages + near-match context',
    ]);
    for (const candidate of report.runs) {
      // The stages' savings add up to what the run saved against always-strong.
      const saved =
        candidate.savingsByStage.cache +
        candidate.savingsByStage.compression +
        candidate.savingsByStage.routing;
      expect(candidate.costShare + saved).toBeCloseTo(1, 2);
      expect(candidate.strongCalls + candidate.weakCalls + candidate.cacheHits).toBe(report.n);
    }
    // A stage alone saves only in its own column; exact repeats are served from the cache.
    expect(run('cache only').cacheHits).toBeGreaterThanOrEqual(3);
    expect(run('cache only').savingsByStage).toMatchObject({ compression: 0, routing: 0 });
    expect(run('compression only').savingsByStage).toMatchObject({ cache: 0, routing: 0 });
    expect(run('compression only').savingsByStage.compression).toBeGreaterThan(0);
    expect(run('routing only').savingsByStage).toMatchObject({ cache: 0, compression: 0 });
    expect(run('routing only').weakCalls).toBeGreaterThan(0);
    expect(run('all stages').costShare).toBeLessThan(1);
    expect(run('all stages').cacheHits).toBeGreaterThanOrEqual(3);
  }, 300_000);
});

describe.skipIf(!existsSync(join(DATA, 'workloads')))('tokenomics bench e2e --workload seed', () => {
  it('runs both files offline without a key, serves the exact duplicates from the cache and makes no quality claim', async () => {
    const key = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    const out: string[] = [];
    try {
      const code = await benchE2eCommand(
        ['--data-dir', DATA, '--workload', 'seed', '--embedder', 'hashing', '--json', '-'],
        { out: (text) => out.push(text), err: () => {} },
      );
      expect(code).toBe(0);
    } finally {
      if (key !== undefined) process.env.OPENAI_API_KEY = key;
    }
    const report = JSON.parse(out.join('\n')) as {
      mode: string;
      conclusion: string;
      workloads: Array<{ file: string; n: number; optimized: { cacheHits: number; costShare: number } }>;
    };
    expect(report.mode).toBe('offline-stand-in');
    expect(report.conclusion).toContain('NO quality claim');
    expect(report.workloads.map((workload) => [workload.file, workload.n])).toEqual([
      ['synthetic_accuracy_50.json', 50],
      ['workloads_v0.json', 10],
    ]);
    // The first file asks five prompts again word for word.
    expect(report.workloads[0]!.optimized.cacheHits).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
