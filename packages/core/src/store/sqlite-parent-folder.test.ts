import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBanditStateStore } from '../router/state/sqlite-bandit-state-store';
import { openSqliteCache } from './open-sqlite-cache';

describe('SQLite files in a folder that does not exist yet', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('the cache creates the folder and works', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tokenomics-folder-'));
    folders.push(root);
    const path = join(root, '.tokenomics', 'nested', 'cache.sqlite');
    const cache = await openSqliteCache({ path });
    expect(existsSync(path)).toBe(true);
    await cache.close();
  });

  it('the bandit state store creates the folder too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tokenomics-folder-'));
    folders.push(root);
    const path = join(root, 'state', 'bandit.sqlite');
    const store = await SqliteBanditStateStore.open(path);
    expect(existsSync(path)).toBe(true);
    await store.close();
  });
});
