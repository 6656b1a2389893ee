import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Tests import each package's source, so each resolves @langchain/core from its own node_modules. If pnpm
// gives two packages different peer variants of it, `instanceof BaseChatModel` fails across them (the
// stack then refuses a real chat model). Every workspace package must see one copy.
describe('one @langchain/core in the workspace', () => {
  it('resolves to the same directory from the root and every package', () => {
    const root = join(import.meta.dirname, '..');
    const places = ['.', ...readdirSync(join(root, 'packages')).map((name) => join('packages', name))];
    const copies = new Map<string, string[]>();
    for (const place of places) {
      const link = join(root, place, 'node_modules', '@langchain', 'core');
      if (!existsSync(link)) continue;
      const target = realpathSync(link);
      copies.set(target, [...(copies.get(target) ?? []), place]);
    }
    expect(copies.size, JSON.stringify(Object.fromEntries(copies), null, 1)).toBe(1);
  });
});
