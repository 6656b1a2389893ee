import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** ARCHITECTURE.md: adapters import core (and the shared LangChain layer), never each other. */
type Manifest = {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;
/** Packages the adapters build on; they may not list an adapter either. */
const SHARED = new Set(['@tokenomics/core', '@tokenomics/langchain-common']);

/** Framework adapters and store adapters (`@tokenomics/store-*`) alike. */
function isAdapter(name: string): boolean {
  return (
    (name.startsWith('@tokenomics/langchain-') ||
      name.startsWith('@tokenomics/store-') ||
      name === '@tokenomics/ai-sdk') &&
    !SHARED.has(name)
  );
}

/** Each `package -> adapter (field)` a framework adapter or a shared package declares. */
function adapterBreaches(manifests: readonly Manifest[]): string[] {
  const breaches: string[] = [];
  for (const manifest of manifests) {
    if (!isAdapter(manifest.name) && !SHARED.has(manifest.name)) continue;
    for (const field of FIELDS) {
      for (const dependency of Object.keys(manifest[field] ?? {})) {
        if (isAdapter(dependency)) breaches.push(`${manifest.name} -> ${dependency} (${field})`);
      }
    }
  }
  return breaches;
}

function workspaceManifests(): Manifest[] {
  const packages = join(import.meta.dirname, '..', 'packages');
  return readdirSync(packages, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      try {
        return [JSON.parse(readFileSync(join(packages, entry.name, 'package.json'), 'utf8')) as Manifest];
      } catch {
        return [];
      }
    });
}

describe('adapter package dependencies', () => {
  it('no adapter (nor core, nor the shared LangChain layer) lists another adapter', () => {
    const manifests = workspaceManifests();
    const names = manifests.map((manifest) => manifest.name);
    // The check reads the real workspace: every adapter and both shared packages are seen.
    expect(names).toEqual(
      expect.arrayContaining([
        '@tokenomics/store-redis',
        '@tokenomics/store-postgres',
        '@tokenomics/langchain-cache',
        '@tokenomics/langchain-router',
        '@tokenomics/langchain-compression',
        '@tokenomics/ai-sdk',
        '@tokenomics/langchain-common',
        '@tokenomics/core',
      ]),
    );
    expect(adapterBreaches(manifests)).toEqual([]);
  });

  it('reports an adapter that lists another one in any dependency field', () => {
    const breaches = adapterBreaches([
      {
        name: '@tokenomics/langchain-router',
        dependencies: { '@tokenomics/core': 'workspace:*', '@tokenomics/langchain-common': 'workspace:*' },
        devDependencies: { '@tokenomics/langchain-cache': 'workspace:*' },
      },
      { name: '@tokenomics/ai-sdk', peerDependencies: { '@tokenomics/langchain-compression': '^0.1.0' } },
      { name: '@tokenomics/store-redis', dependencies: { '@tokenomics/ai-sdk': 'workspace:*' } },
      {
        name: '@tokenomics/langchain-common',
        dependencies: { '@tokenomics/langchain-cache': 'workspace:*' },
      },
      // The CLI composes everything: it may depend on every adapter.
      { name: '@tokenomics/cli', dependencies: { '@tokenomics/langchain-cache': 'workspace:*' } },
    ]);
    expect(breaches).toEqual([
      '@tokenomics/langchain-router -> @tokenomics/langchain-cache (devDependencies)',
      '@tokenomics/ai-sdk -> @tokenomics/langchain-compression (peerDependencies)',
      '@tokenomics/store-redis -> @tokenomics/ai-sdk (dependencies)',
      '@tokenomics/langchain-common -> @tokenomics/langchain-cache (dependencies)',
    ]);
  });
});
