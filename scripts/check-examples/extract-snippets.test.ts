import { describe, expect, it } from 'vitest';
import { extractSnippets, importedPackages, installedPackages } from './extract-snippets';

const readme = [
  '# A package',
  '```sh',
  'pnpm add @tokenomics/core zod@^4   # the engine',
  'npm install -E better-sqlite3',
  'npm i -g -E pnpm@12.4.2',
  '```',
  '```ts',
  "import { a } from '@tokenomics/core';",
  '```',
  '<!-- snippet: continues -->',
  '```ts',
  'a();',
  '```',
  '<!-- snippet: typecheck-only (needs Redis) -->',
  '```ts',
  "import Redis from 'ioredis';",
  '```',
  '<!-- snippet: model-calls=1 -->',
  '```ts',
  'await twice();',
  '```',
  '```text',
  'not code',
  '```',
].join('\n');

describe('extractSnippets', () => {
  it('joins a continued block to the one before it and keeps the markers', () => {
    const snippets = extractSnippets(readme, 'README.md');
    expect(
      snippets.map(({ line, run, reason, expectedModelCalls }) => ({
        line,
        run,
        reason,
        expectedModelCalls,
      })),
    ).toEqual([
      { line: 7, run: true, reason: undefined, expectedModelCalls: undefined },
      { line: 15, run: false, reason: 'needs Redis', expectedModelCalls: undefined },
      { line: 19, run: true, reason: undefined, expectedModelCalls: 1 },
    ]);
    expect(snippets[0]?.code).toBe("import { a } from '@tokenomics/core';\na();");
  });

  it('refuses a marker it does not know, so a typo cannot skip a block', () => {
    expect(() => extractSnippets('<!-- snippet: skip -->\n```ts\nx\n```', 'R.md')).toThrow(
      /unknown snippet marker/,
    );
  });
});

describe('installedPackages and importedPackages', () => {
  it('reads the packages the shell blocks install, without versions or flags', () => {
    expect(installedPackages(readme)).toEqual(['@tokenomics/core', 'zod', 'better-sqlite3']);
  });

  it('reads bare imports, subpaths reduced to their package', () => {
    const code =
      "import { x } from '@langchain/core/messages';\nimport 'node:fs';\nimport { y } from './y';\nconst z = await import('ai/test');";
    expect(importedPackages(code)).toEqual(['@langchain/core', 'ai']);
  });
});
