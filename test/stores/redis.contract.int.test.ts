import { openRedisBanditStateStore, openRedisCache } from '@tokenomics/store-redis';
import { describeWithServer } from './servers';
import { banditStateContract, cacheStoreContract } from './store-contract';

// Generous timeouts here: these tests check behaviour on a busy shared machine; the default
// (50 ms) and what happens when it is exceeded are checked in redis.faults.int.test.ts.
describeWithServer('Redis stores', 'TOKENOMICS_TEST_REDIS_URL', 'a Redis server', (url) => {
  cacheStoreContract('Redis', {
    shared: true,
    open: (namespace) => openRedisCache({ url, namespace, timeoutMs: 2_000 }),
  });
  banditStateContract('Redis', {
    shared: true,
    open: () => openRedisBanditStateStore({ url, namespace: 'contract', timeoutMs: 2_000 }),
  });
});
