/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlayground } from '../../packages/cli/src/playground/playground-command';
import type { PlaygroundServer } from '../../packages/cli/src/playground/playground-server';
import { describeWithProgram } from '../stores/servers';
import { chromiumInstalled, collectPageErrors, launchChromium, screenshot, visibleMarks } from './chromium';

async function ask(page: Page, prompt: string): Promise<void> {
  const turns = Number(await page.textContent('#turns'));
  await page.fill('#prompt', prompt);
  await page.click('#send');
  await page.waitForFunction(
    (before) => Number(document.getElementById('turns')?.textContent) === before + 1,
    turns,
    {
      timeout: 60_000,
    },
  );
}

describeWithProgram(
  'tokenomics playground in headless Chromium',
  chromiumInstalled,
  'chromium (apt-get install chromium)',
  () => {
    let browser: Browser;
    let server: PlaygroundServer;
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'playground-')), 'ledger.jsonl');
    const previousKey = process.env.OPENAI_API_KEY;

    beforeAll(async () => {
      delete process.env.OPENAI_API_KEY;
      // Exact prompts only: the embedding model is the cache's business, tested there; this tests the page.
      server = await startPlayground({
        port: 0,
        exactOnly: true,
        ledgerFile,
        io: { out: () => {}, err: () => {} },
      });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (previousKey !== undefined) process.env.OPENAI_API_KEY = previousKey;
    });

    it('round-trips prompts: the trace, the model, the cache status, cost against the baseline and the running chart', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors = collectPageErrors(page);
      await page.goto(server.url);
      expect(await page.getAttribute('#mode', 'data-mode')).toBe('offline');
      expect(await page.textContent('#mode')).toContain('Offline stand-in');

      await ask(page, 'How do I reset my password?');
      expect(await page.textContent('#cache-status')).toBe('cache: miss');
      expect(await page.textContent('#model')).toBe('answered by openai:gpt-4o-mini');
      expect(await page.textContent('#answer')).toContain('How do I reset my password?');
      const stages = await page.$$eval('#steps tr', (rows) =>
        rows.map((row) => (row as HTMLElement).dataset.stage),
      );
      expect(stages).toEqual(['cache', 'compression', 'router', 'cascade', 'cache']);

      await ask(page, 'Prove that the square root of 2 is irrational.');
      // The stand-in's cheap tier hedges on a proof; the cascade escalates to the strong model.
      expect(await page.textContent('#model')).toBe('answered by openai:gpt-4o');
      expect(await page.textContent('#steps')).toContain('escalate');

      await ask(page, 'How do I reset my password?');
      expect(await page.textContent('#cache-status')).toBe('cache: exact hit');
      expect(await page.textContent('#cost')).toBe('$0');

      const marks = await visibleMarks(page);
      // Two lines (spent, baseline) and a point per prompt on each.
      expect(marks['playground-running']).toBe(8);
      expect(marks['playground-stages']).toBe(3);
      expect(errors).toEqual([]);
      expect(existsSync(await screenshot(page, 'playground'))).toBe(true);

      // Every prompt reached the ledger, which `tokenomics report` reads.
      const records = readFileSync(ledgerFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(records.map((record) => record.stage)).toEqual(['router', 'none', 'cache']);
      await page.close();
    });

    it('shows an API error on the page instead of failing silently', async () => {
      const response = await fetch(new URL('/api/prompt', server.url), {
        method: 'POST',
        body: '{"prompt": ""}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'the prompt must be a non-empty string' });
    });
  },
);
