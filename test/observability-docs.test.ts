import { readFileSync } from 'node:fs';
import { GEN_AI, SPAN_NAMES, TOKENOMICS } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';

/** docs/observability.md lists the spans and attributes; every one the code writes must be there. */
describe('docs/observability.md', () => {
  const docs = readFileSync(new URL('../docs/observability.md', import.meta.url), 'utf8');
  const documented = (name: string) => docs.split('\n').some((line) => line.startsWith(`| \`${name}\``));

  it('has a row for every attribute and span name', () => {
    const names = [...Object.values(GEN_AI), ...Object.values(TOKENOMICS), ...Object.values(SPAN_NAMES)];
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });
});
