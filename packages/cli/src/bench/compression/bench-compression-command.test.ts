import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchCompressionCommand } from './bench-compression-command';
import { normalizeAnswer, retainsAnswer } from './compression-datasets';

const DATA = new URL('../../../../../../shared/datasets/compression', import.meta.url).pathname;

describe('answer retention', () => {
  it('normalizes like Lost in the Middle (case, punctuation, articles)', () => {
    expect(normalizeAnswer('The  Beatles!')).toBe('beatles');
    expect(
      retainsAnswer('...awarded to Wilhelm Conrad Röntgen, of Germany', ['Wilhelm Conrad Röntgen']),
    ).toBe(true);
    expect(retainsAnswer('awarded to Wilhelm Röntgen', ['Wilhelm Conrad Röntgen'])).toBe(false);
  });
});

describe.skipIf(!existsSync(DATA))('tokenomics bench compression', () => {
  it('runs the method and its baselines side by side and writes the JSON fields the issue asks for', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bench-compression-'));
    const json = join(folder, 'out.json');
    const out: string[] = [];
    const code = await benchCompressionCommand(
      [
        '--data',
        DATA,
        '--docs',
        '20',
        '--limit',
        '12',
        '--kv-limit',
        '2',
        '--bbh-limit',
        '2',
        '--gsm8k-limit',
        '2',
        '--speed-requests',
        '0',
        '--json',
        json,
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    rmSync(folder, { recursive: true });
    expect(out.join('\n')).toContain('NaturalQuestions');
    expect(results.distractors).toBe('similar');
    const row = (method: string) =>
      results.nq.find(
        (candidate: { method: string; rate: number }) =>
          candidate.method === method && candidate.rate === 0.2,
      );
    const select = row('select');
    expect(select).toMatchObject({ method: 'select', docs: 20, rate: 0.2, prompts: 12 });
    expect(select.ratio).toBeGreaterThan(4.5);
    expect(select.retention).toBeGreaterThanOrEqual(0.75);
    expect(select.cpuMsPer1kTokens).toBeGreaterThan(0);
    for (const baseline of ['truncate', 'bm25-topk', 'coarse-ql']) {
      expect(row(baseline)).toMatchObject({ goldKeptWhole: expect.any(Number), ratio: expect.any(Number) });
    }
    // Whole-document baselines keep the gold document whole whenever they keep its answer.
    expect(row('bm25-topk').goldKeptWhole).toBe(row('bm25-topk').retention);
    expect(row('truncate').retention).toBeLessThan(select.retention);
    expect(results.kv.find((candidate: { method: string }) => candidate.method === 'lossless')).toMatchObject(
      {
        retention: 1,
      },
    );
    const fewShot = results.fewShot.filter((candidate: { method: string }) => candidate.method === 'select');
    expect(fewShot.map((candidate: { source: string }) => candidate.source)).toContain('gsm8k');
    for (const candidate of fewShot) expect(candidate.promptsDamaged).toBe(0);
    expect(results.targets.length).toBeGreaterThan(0);
  });
});
