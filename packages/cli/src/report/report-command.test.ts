import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostLedger, createPricing } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { reportCommand } from './report-command';

const DOCS = new URL('../../../../docs/', import.meta.url).pathname;
const pricing = createPricing({
  registry: false,
  overrides: {
    small: { inputPerMillion: 0.5, outputPerMillion: 2 },
    large: { inputPerMillion: 5, outputPerMillion: 20 },
  },
});

async function report(file: string) {
  const out = join(mkdtempSync(join(tmpdir(), 'report-')), 'nested', 'report.html');
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await reportCommand([file, '--out', out], {
    out: (text) => lines.push(text),
    err: (text) => errors.push(text),
  });
  return { code, html: readFileSync(out, 'utf8'), lines, errors };
}

/** The data-points count of each drawn chart, by chart id. */
function drawnCharts(html: string): Record<string, number> {
  const charts: Record<string, number> = {};
  for (const match of html.matchAll(/data-chart="([^"]+)" data-points="(\d+)"/g))
    charts[match[1]!] = Number(match[2]);
  return charts;
}

function ledgerFile(): string {
  const ledger = new CostLedger({ pricing });
  const start = Date.UTC(2026, 11, 1);
  const usage = { inputTokens: 1_000, outputTokens: 200 };
  const entries = [
    { stage: 'none' as const, model: 'large', spent: usage },
    { stage: 'cache' as const, model: 'large', spent: {} },
    { stage: 'router' as const, model: 'small', baselineModel: 'large', spent: usage },
    { stage: 'compression' as const, model: 'large', spent: { inputTokens: 400, outputTokens: 200 } },
  ];
  const lines = entries.map((entry, index) =>
    JSON.stringify(
      ledger.record({ traceId: `t${index}`, baseline: usage, at: start + index * 60_000, ...entry }),
    ),
  );
  // A record from a newer pipeline: a per-stage breakdown and fields this reader does not know.
  const pipelineRecord = {
    ...JSON.parse(lines[2]!),
    traceId: 't-pipeline',
    at: start + 10 * 60_000,
    savingsByStage: { cache: 0, compression: 0.002, routing: 0.004 },
    somethingNew: { nested: [1, 2] },
  };
  // The shape of the shared pipeline's records: stage 'pipeline', `savedByStage` of tokens and dollars.
  const splitRecord = {
    ...JSON.parse(lines[0]!),
    traceId: 't-split',
    at: start + 11 * 60_000,
    stage: 'pipeline',
    baselineSource: 'recorded',
    savedByStage: {
      cache: { tokens: 0, dollars: 0 },
      compression: { tokens: 300, dollars: 0.0015 },
      routing: { tokens: 0, dollars: 0.003 },
      cascade: { tokens: -500, dollars: -0.001 },
    },
  };
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
  const all = [...lines, JSON.stringify(pipelineRecord), JSON.stringify(splitRecord), '{"torn": '];
  writeFileSync(file, `${all.join('\n')}\n`);
  return file;
}

describe('tokenomics report', () => {
  it('charts a ledger: cumulative spend against the baseline and savings by stage, tolerating new fields', async () => {
    const { code, html, errors } = await report(ledgerFile());
    expect(code).toBe(0);
    const charts = drawnCharts(html);
    // Two cumulative series (spent and baseline) of six calls each.
    expect(charts.spend).toBe(12);
    // cache, router and compression from whole records, the breakdown's 'routing' merged with 'router'.
    const categories = [...html.matchAll(/<text class="category"[^>]*>([^<]+)<\/text>/g)].map(
      (match) => match[1],
    );
    expect(categories).toEqual(['cache', 'routing', 'compression', 'cascade']);
    expect(charts['savings-by-stage']).toBe(4);
    // The escalations' cost shows as a negative bar.
    expect(html).toContain('saved, cascade: -$0.001');
    expect(html).toContain('1 line(s) of the file were not ledger records');
    expect(html).toContain('A ledger records tokens and dollars, not answer quality');
    expect(errors.join('\n')).toMatch(/missing Quality against dollars/);
  });

  it('draws a long ledger with at most a thousand points a series', async () => {
    const ledger = new CostLedger({ pricing });
    const template = ledger.record({
      traceId: 't',
      model: 'small',
      baselineModel: 'large',
      stage: 'router',
      spent: { inputTokens: 100 },
      baseline: { inputTokens: 100 },
      at: 0,
    });
    const lines = Array.from({ length: 20_001 }, (_, index) =>
      JSON.stringify({ ...template, traceId: `t${index}`, at: index * 1_000 }),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'long-ledger-')), 'ledger.jsonl');
    writeFileSync(file, lines.join('\n'));
    const { html } = await report(file);
    expect(drawnCharts(html).spend).toBeLessThanOrEqual(2 * 1_001);
    expect(html).toContain('20,001 calls from 1970-01-01T00:00:00.000Z to 1970-01-01T05:33:20.000Z.');
  });

  it('charts a routing benchmark with the random, always-weak, always-strong and oracle references', async () => {
    const { html } = await report(join(DOCS, 'benchmarks/routing-mmlu.json'));
    const charts = drawnCharts(html);
    expect(charts['quality-cost']).toBeGreaterThan(20);
    for (const reference of ['random', 'always-weak', 'always-strong', 'oracle'])
      expect(html).toContain(`data-series="${reference}"`);
    // The online replay is a spend-over-time series against always calling the strong model.
    expect(charts.spend).toBeGreaterThan(10);
    expect(html).toContain('baseline: always gpt-4-1106-preview');
  });

  it('charts cache precision and recall against the threshold, and compression ratio against retention', async () => {
    const cache = await report(join(DOCS, 'benchmarks/cache-quality.json'));
    expect(drawnCharts(cache.html)['cache-threshold']).toBeGreaterThan(30);
    expect(cache.html).toContain('data-series="recall, test.jsonl"');
    const compression = await report(join(DOCS, 'benchmarks-compression.json'));
    expect(drawnCharts(compression.html).compression).toBeGreaterThan(20);
    expect(compression.html).toContain('data-series="truncate, NQ 10 docs"');
  });

  it('charts the end-to-end benchmark: runs against the baseline and savings by stage per run', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'e2e-')), 'e2e.json');
    const run = (name: string, quality: number, cost: number, cache: number) => ({
      name,
      quality,
      cost,
      costShare: cost / 2,
      wrongCacheHits: 0,
      addedLatencyMsP50: 3,
      savingsByStage: { cache, compression: 0.1, routing: 0.3 },
    });
    const e2e = {
      n: 200,
      baseline: { quality: 0.8, cost: 2 },
      runs: [run('cache only', 0.8, 1.6, 0.4), run('all stages', 0.78, 1.1, 0.4)],
    };
    writeFileSync(file, JSON.stringify(e2e));
    const { html } = await report(file);
    const charts = drawnCharts(html);
    expect(charts['quality-cost']).toBe(3);
    expect(charts['savings-by-stage']).toBe(6);
    expect(html).toContain('data-series="all stages"');
    expect(html).toContain('References not in this file: random, always-weak, always-strong, oracle.');
    expect(html).toContain('baseline: quality 80%, cost $2.00.');
    expect(html).toContain(
      'all stages: quality 78%, cost $1.10 (55% of the baseline), 0 wrong cache hit(s), 3 ms added at p50.',
    );
    // Without dollars per stage, savingsByStage are shares of the baseline's dollars (next to costShare).
    expect(html).toContain('saved, share of the baseline’s dollars');
    expect(html).toContain('all stages, routing: 30%');
  });

  it('writes one self-contained page: no script, nothing fetched, and a note for every chart it cannot draw', async () => {
    const { html, lines } = await report(join(DOCS, 'benchmarks/stores-redis.json'));
    expect(lines.join('')).toMatch(/^wrote .*report\.html$/);
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(Object.keys(drawnCharts(html))).toEqual([]);
    expect(html.match(/<div id="[^"]+" data-status="missing">/g)).toHaveLength(5);
  });

  it('rejects a file that is neither a ledger nor a benchmark JSON object', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bad-')), 'bad.txt');
    writeFileSync(file, 'hello\nworld\n');
    await expect(report(file)).rejects.toThrow(/neither a benchmark's JSON object nor a ledger/);
  });
});
