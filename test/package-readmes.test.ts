import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packagesFolder = join(import.meta.dirname, '..', 'packages');
const packages = readdirSync(packagesFolder).filter((name) =>
  existsSync(join(packagesFolder, name, 'package.json')),
);

describe('package READMEs stand alone on npm', () => {
  it.each(packages)('%s has a README that is packed and links nowhere relative', (name) => {
    const readme = join(packagesFolder, name, 'README.md');
    expect(existsSync(readme)).toBe(true);
    const json = JSON.parse(readFileSync(join(packagesFolder, name, 'package.json'), 'utf8')) as {
      files?: string[];
    };
    expect(json.files).toContain('README.md');
    // On npm a relative link (../../docs/…, ../core) points nowhere: links must be absolute.
    const relativeLinks = [
      ...readFileSync(readme, 'utf8').matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g),
    ].map((match) => match[1]);
    expect(relativeLinks).toEqual([]);
  });
});
