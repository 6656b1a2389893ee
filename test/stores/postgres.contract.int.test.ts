import { MemoryVectorIndex } from '@tokenomics/core';
import { openPostgresBanditStateStore, openPostgresCache } from '@tokenomics/store-postgres';
import { afterAll } from 'vitest';
import { describeWithServer } from './servers';
import { banditStateContract, type CacheStores, cacheStoreContract } from './store-contract';

/** The contract's cache uses a 64-dimension hashing embedder; its vectors are 4-dimensional. */
async function openStores(options: Parameters<typeof openPostgresCache>[0]): Promise<CacheStores[]> {
  const small = await openPostgresCache({ ...options, dimensions: 4 });
  const large = await openPostgresCache({ ...options, dimensions: 64 });
  return [small, large].map((opened) => ({
    store: opened.store,
    vectorIndex: opened.vectorIndex as NonNullable<typeof opened.vectorIndex>,
    close: opened.close,
  }));
}

// Generous timeouts here: these tests check behaviour on a busy shared machine; the default
// (50 ms) and what happens when it is exceeded are checked in postgres.faults.int.test.ts.
const timeoutMs = 5_000;

describeWithServer(
  'PostgreSQL + pgvector stores (PGlite over the wire protocol)',
  'TOKENOMICS_TEST_PGVECTOR_URL',
  'PostgreSQL with pgvector, e.g. packages/store-postgres/scripts/serve-pglite.ts',
  (url) => {
    // PGlite serves one connection at a time: every "process" shares one pool of one connection.
    let owner: Awaited<ReturnType<typeof openPostgresCache>> | undefined;
    const sharedPool = async () => {
      owner ??= await openPostgresCache({ connectionString: url, maxConnections: 1, timeoutMs });
      return owner.pool;
    };
    afterAll(() => owner?.close());
    cacheStoreContract('PostgreSQL/pgvector', {
      shared: true,
      open: async (namespace) => {
        const [small, large] = await openStores({ pool: await sharedPool(), namespace, timeoutMs });
        return mixed(small as CacheStores, large as CacheStores);
      },
    });
    banditStateContract('PostgreSQL/pgvector', {
      shared: true,
      open: async () =>
        openPostgresBanditStateStore({ pool: await sharedPool(), namespace: 'contract', timeoutMs }),
    });
  },
);

describeWithServer(
  'PostgreSQL 15 stores without vectors (Debian server)',
  'TOKENOMICS_TEST_POSTGRES_URL',
  "a plain PostgreSQL server, e.g. Debian's postgresql-15",
  (url) => {
    // Entries on the real server (vectors in process memory: Debian has no pgvector package).
    cacheStoreContract('PostgreSQL 15 entries', {
      shared: false,
      open: async (namespace) => {
        const opened = await openPostgresCache({ connectionString: url, namespace, timeoutMs });
        return { store: opened.store, vectorIndex: new MemoryVectorIndex(), close: opened.close };
      },
    });
    banditStateContract('PostgreSQL 15', {
      shared: true,
      open: () => openPostgresBanditStateStore({ connectionString: url, namespace: 'contract', timeoutMs }),
    });
  },
);

/** The 4-dimension index for the contract's raw vector test, the 64-dimension one for the cache. */
function mixed(small: CacheStores, large: CacheStores): CacheStores {
  const { vectorIndex: smallIndex } = small;
  const { vectorIndex: largeIndex } = large;
  const pick = (vector: Float32Array) => (vector.length === 4 ? smallIndex : largeIndex);
  return {
    store: small.store,
    vectorIndex: {
      add: (partition, key, vector) => pick(vector).add(partition, key, vector),
      search: (partition, vector, k) => pick(vector).search(partition, vector, k),
      delete: async (keys) => {
        await smallIndex.delete(keys);
        await largeIndex.delete(keys);
      },
    },
    close: async () => {
      await small.close();
      await large.close();
    },
  };
}
