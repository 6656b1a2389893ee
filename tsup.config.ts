import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * One build config for every package. Each package's `build` script runs
 * `tsup --config ../../tsup.config.ts` from its own folder; the package's
 * `tokenomicsBuild` field in package.json names its entries and formats.
 */
type PackageBuild = {
  entry?: Record<string, string>;
  format?: Array<'esm' | 'cjs'>;
  banner?: string;
  /** Shared chunks between entries, so a subpath (e.g. core's `/internal`) shares the root's module state and classes. */
  splitting?: boolean;
};

const packageJson = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
  tokenomicsBuild?: PackageBuild;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const build = packageJson.tokenomicsBuild ?? {};

export default defineConfig({
  entry: build.entry ?? { index: 'src/index.ts' },
  format: build.format ?? ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: build.splitting ?? false,
  treeshake: true,
  shims: true,
  external: [
    ...Object.keys(packageJson.dependencies ?? {}),
    ...Object.keys(packageJson.peerDependencies ?? {}),
    ...Object.keys(packageJson.optionalDependencies ?? {}),
    // Optional pieces (the USE-lite model, onnxruntime-node, usearch) are dev dependencies that
    // the code imports lazily: they must resolve from the user's install at run time, never be
    // bundled (a bundled tfjs fails on its dynamic requires, and would add megabytes).
    ...Object.keys(packageJson.devDependencies ?? {}),
  ],
  banner: build.banner ? { js: build.banner } : undefined,
} satisfies Options);
