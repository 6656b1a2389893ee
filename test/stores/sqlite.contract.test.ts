import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteCache, SqliteBanditStateStore } from '@tokenomics/core';
import { afterAll } from 'vitest';
import { banditStateContract, cacheStoreContract } from './store-contract';

const folder = mkdtempSync(join(tmpdir(), 'tokenomics-contract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// One file per test namespace: every "process" of a test opens the same file (SQLite is shared across processes).
cacheStoreContract('SQLite', {
  shared: true,
  open: (namespace) => openSqliteCache({ path: join(folder, `${namespace}.sqlite`) }),
});

banditStateContract('SQLite', {
  shared: true,
  open: () => SqliteBanditStateStore.open(join(folder, 'bandit.sqlite')),
});
