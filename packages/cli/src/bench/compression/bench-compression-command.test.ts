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
  it('prints the tables and writes the JSON fields the issue asks for', async () => {
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
        '4',
        '--bbh-limit',
        '2',
        '--json',
        json,
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8'));
    rmSync(folder, { recursive: true });
    expect(out.join('\n')).toContain('NaturalQuestions');
    const select = results.nq.find(
      (row: { method: string; rate: number }) => row.method === 'select' && row.rate === 0.2,
    );
    expect(select).toMatchObject({ method: 'select', docs: 20, rate: 0.2 });
    expect(select.ratio).toBeGreaterThan(4.5);
    expect(select.retention).toBeGreaterThanOrEqual(0.75);
    const truncate = results.nq.find(
      (row: { method: string; rate: number }) => row.method === 'truncate' && row.rate === 0.2,
    );
    expect(truncate.retention).toBeLessThan(select.retention);
    expect(results.kv.find((row: { method: string }) => row.method === 'lossless')).toMatchObject({
      retention: 1,
    });
    expect(results.bbh[0]).toHaveProperty('ratio');
    expect(results.msPer1kTokens.select).toBeGreaterThan(0);
  });
});
