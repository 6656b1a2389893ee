import { MemoryBanditStateStore, MemoryCacheStore, MemoryVectorIndex } from '@tokenomics/core';
import { banditStateContract, cacheStoreContract } from './store-contract';

cacheStoreContract('memory', {
  shared: false,
  open: async () => ({
    store: new MemoryCacheStore(),
    vectorIndex: new MemoryVectorIndex(),
    close: async () => {},
  }),
});

banditStateContract('memory', { shared: false, open: async () => new MemoryBanditStateStore() });
