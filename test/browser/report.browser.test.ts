import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostLedger, createPricing } from '@tokenomics/core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportCommand } from '../../packages/cli/src/report/report-command';
import { describeWithProgram } from '../stores/servers';
import { chromiumInstalled, collectPageErrors, launchChromium, screenshot, visibleMarks } from './chromium';

const DOCS = new URL('../../docs/', import.meta.url).pathname;

async function writeReport(input: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'report-browser-')), 'report.html');
  const code = await reportCommand([input, '--out', out], { out: () => {}, err: () => {} });
  expect(code).toBe(0);
  return out;
}

/** A ledger of 60 calls over an hour: misses, cache hits, routed and compressed calls. */
function ledgerFile(): string {
  const ledger = new CostLedger({
    pricing: createPricing({
      registry: false,
      overrides: {
        mini: { inputPerMillion: 0.15, outputPerMillion: 0.6 },
        full: { inputPerMillion: 2.5, outputPerMillion: 10 },
      },
    }),
  });
  const stages = ['none', 'cache', 'router', 'compression'] as const;
  const lines = Array.from({ length: 60 }, (_, index) => {
    const stage = stages[index % stages.length]!;
    const usage = { inputTokens: 800 + (index % 7) * 150, outputTokens: 200 + (index % 5) * 40 };
    return JSON.stringify(
      ledger.record({
        traceId: `t${index}`,
        at: Date.UTC(2026, 11, 5, 9) + index * 60_000,
        stage,
        model: stage === 'router' ? 'mini' : 'full',
        baselineModel: 'full',
        baseline: usage,
        spent:
          stage === 'cache'
            ? {}
            : stage === 'compression'
              ? { ...usage, inputTokens: usage.inputTokens / 3 }
              : usage,
      }),
    );
  });
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-browser-')), 'ledger.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describeWithProgram(
  'tokenomics report in headless Chromium',
  chromiumInstalled,
  'chromium (apt-get install chromium)',
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    const cases = [
      { name: 'report-ledger', input: ledgerFile, charts: ['spend', 'savings-by-stage'] },
      {
        name: 'report-routing',
        input: () => join(DOCS, 'benchmarks/routing-mmlu.json'),
        charts: ['spend', 'quality-cost'],
      },
      {
        name: 'report-cache',
        input: () => join(DOCS, 'benchmarks/cache-quality.json'),
        charts: ['cache-threshold'],
      },
      {
        name: 'report-compression',
        input: () => join(DOCS, 'benchmarks-compression.json'),
        charts: ['compression'],
      },
    ];
    for (const testCase of cases) {
      it(`${testCase.name}: loads with no console error and draws its charts with data`, async () => {
        const html = await writeReport(testCase.input());
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors = collectPageErrors(page);
        const requests: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        await page.goto(`file://${html}`);
        const marks = await visibleMarks(page);
        expect(Object.keys(marks).sort()).toEqual([...testCase.charts].sort());
        for (const chart of testCase.charts) expect(marks[chart]).toBeGreaterThan(1);
        // Self-contained: the page itself is the only thing loaded.
        expect(requests).toEqual([`file://${html}`]);
        expect(errors).toEqual([]);
        expect(existsSync(await screenshot(page, testCase.name))).toBe(true);
        await page.close();
      });
    }
  },
);
