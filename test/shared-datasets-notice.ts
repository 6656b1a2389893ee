import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Vitest global setup: in a clone without `../shared/datasets` beside it (a user who cloned the
 * repository), the suites that read those data skip themselves; this prints which ones, on one
 * line, so a skip is never mistaken for a pass. The list is every test file that names the
 * datasets folder, so it stays right as tests are added.
 */
const root = join(import.meta.dirname, '..');
const datasets = join(root, '..', 'shared', 'datasets');

export default function setup(): (() => void) | undefined {
  if (existsSync(datasets)) return undefined;
  const suites = testFiles(root).filter((file) => readFileSync(file, 'utf8').includes('shared/datasets'));
  if (suites.length === 0) return undefined;
  const names = suites.map((file) => relative(root, file)).join(', ');
  return () => {
    process.stdout.write(
      `\nSkipped without ../shared/datasets (${suites.length} test files read it; what needs the data was skipped): ${names}\n`,
    );
  };
}

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}
