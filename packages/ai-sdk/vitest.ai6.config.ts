import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

/**
 * The AI SDK adapters' tests under `ai` 6 (specification V3), the release npm installs on Node 20:
 * `ai` and its subpaths resolve to the `ai6` alias (`npm:ai@6`). The default config runs the same
 * tests under `ai` 7. `.ci/run` runs both; `pnpm test:ai6` runs this one.
 */
const workspaceAliases = Object.entries(base.resolve?.alias ?? {}).map(([find, replacement]) => ({
  find,
  replacement: String(replacement),
}));

export default defineConfig({
  ...base,
  resolve: { alias: [...workspaceAliases, { find: /^ai(\/.*)?$/, replacement: 'ai6$1' }] },
  test: { ...base.test, include: ['packages/ai-sdk/src/**/*.test.ts'] },
});
