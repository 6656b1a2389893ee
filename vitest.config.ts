import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against package sources, so a change in core or an adapter is seen without rebuilding it.
    // The `/test` subpath comes before its package: an alias also matches the names under it.
    alias: {
      '@tokenomics/langchain-common/test': fileURLToPath(
        new URL('./packages/langchain-common/src/testing/index.ts', import.meta.url),
      ),
      '@tokenomics/langchain-common': fileURLToPath(
        new URL('./packages/langchain-common/src/index.ts', import.meta.url),
      ),
      '@tokenomics/core/internal': fileURLToPath(new URL('./packages/core/src/internal.ts', import.meta.url)),
      '@tokenomics/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@tokenomics/langchain-cache/middleware': fileURLToPath(
        new URL('./packages/langchain-cache/src/middleware/index.ts', import.meta.url),
      ),
      '@tokenomics/langchain-cache': fileURLToPath(
        new URL('./packages/langchain-cache/src/index.ts', import.meta.url),
      ),
      '@tokenomics/ai-sdk': fileURLToPath(new URL('./packages/ai-sdk/src/index.ts', import.meta.url)),
      '@tokenomics/langchain-router/middleware': fileURLToPath(
        new URL('./packages/langchain-router/src/middleware/index.ts', import.meta.url),
      ),
      '@tokenomics/langchain-router': fileURLToPath(
        new URL('./packages/langchain-router/src/index.ts', import.meta.url),
      ),
      '@tokenomics/store-redis': fileURLToPath(
        new URL('./packages/store-redis/src/index.ts', import.meta.url),
      ),
      '@tokenomics/store-postgres': fileURLToPath(
        new URL('./packages/store-postgres/src/index.ts', import.meta.url),
      ),
      '@tokenomics/langchain-compression/middleware': fileURLToPath(
        new URL('./packages/langchain-compression/src/middleware/index.ts', import.meta.url),
      ),
      '@tokenomics/langchain': fileURLToPath(new URL('./packages/langchain/src/index.ts', import.meta.url)),
      '@tokenomics/langchain-compression': fileURLToPath(
        new URL('./packages/langchain-compression/src/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    // Names, on one line, the suites a clone without ../shared/datasets skips.
    globalSetup: ['./test/shared-datasets-notice.ts'],
    include: ['packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
