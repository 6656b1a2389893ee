/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the browser.
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

/** Debian's `chromium` package; `.ci/run` installs it. TOKENOMICS_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.TOKENOMICS_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumInstalled = existsSync(CHROMIUM_PATH);

/** Screenshots land here; CI keeps the folder as an artifact (it is gitignored). */
export const ARTIFACTS = new URL('../../.ci/artifacts/', import.meta.url).pathname;

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

/** Collects what a user's console would show as errors: console.error and uncaught exceptions. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Marks of each drawn chart that have a visible size (a chart of only empty marks has 0). */
export function visibleMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    for (const svg of document.querySelectorAll('svg.chart')) {
      const marks = [...svg.querySelectorAll('circle.point, path.line, rect.bar')].filter((mark) => {
        const box = mark.getBoundingClientRect();
        return box.width > 0 || box.height > 0;
      });
      counts[svg.getAttribute('data-chart') ?? '?'] = marks.length;
    }
    return counts;
  });
}
