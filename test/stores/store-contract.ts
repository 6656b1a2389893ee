import {
  type BanditSnapshot,
  type BanditStateStore,
  type CachedResponse,
  type CacheEntryRecord,
  type CacheEntryStore,
  type CacheWarning,
  HashingEmbedder,
  SemanticCache,
  type TokenomicsRequest,
  type VectorIndex,
} from '@tokenomics/core';
import { afterEach, describe, expect, it } from 'vitest';

/** One store's entry store and vector index, as one process would open them. */
export type CacheStores = { store: CacheEntryStore; vectorIndex: VectorIndex; close(): Promise<void> };

export type CacheStoreContractOptions = {
  /**
   * Opens the stores. Each call is another "process" on the same data when `shared` is true
   * (a server or a file); in-process stores open independent, empty stores.
   */
  open: (namespace: string) => Promise<CacheStores>;
  shared: boolean;
};

/**
 * What every cache store promises, checked the same way for memory, SQLite, Redis and
 * PostgreSQL: records round-trip, tags and scopes find their entries, expired entries purge,
 * vectors stay in their partition, and a `SemanticCache` on top serves exact and semantic
 * hits, honours TTL and invalidation. Shared stores also show every process's entries to every
 * other process, including one opened later.
 */
export function cacheStoreContract(name: string, options: CacheStoreContractOptions): void {
  describe(`${name}: cache store contract`, () => {
    const opened: CacheStores[] = [];
    // Every test gets its own namespace; the "processes" within one test share it.
    let namespace = uniqueId();
    const open = async () => {
      const stores = await options.open(namespace);
      opened.push(stores);
      return stores;
    };
    afterEach(async () => {
      namespace = uniqueId();
      for (const stores of opened.splice(0)) await stores.close();
    });

    it('returns a stored record as written, and replaces it on a second write', async () => {
      const { store } = await open();
      await store.set(record('k1', { tags: ['docs', 'faq'], expiresAt: FAR_FUTURE }));
      expect(await store.get('k1')).toEqual(record('k1', { tags: ['docs', 'faq'], expiresAt: FAR_FUTURE }));
      await store.set(record('k1', { payload: '{"v":2}', tags: ['faq'] }));
      const replaced = await store.get('k1');
      expect(replaced?.payload).toBe('{"v":2}');
      expect(replaced?.expiresAt).toBeUndefined();
      expect(await store.keysByTag('docs')).toEqual([]);
      expect(await store.get('missing')).toBeUndefined();
    });

    it('finds entries by tag and by scope, and forgets deleted ones everywhere', async () => {
      const { store } = await open();
      await store.set(record('a', { tags: ['t1'], scopeKey: 'acme' }));
      await store.set(record('b', { tags: ['t1', 't2'], scopeKey: 'globex' }));
      await store.set(record('c', { tags: ['t2'], scopeKey: 'acme' }));
      expect((await store.keysByTag('t1')).sort()).toEqual(['a', 'b']);
      expect((await store.keysByScope('acme')).sort()).toEqual(['a', 'c']);
      await store.delete(['a']);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.keysByTag('t1')).toEqual(['b']);
      expect(await store.keysByScope('acme')).toEqual(['c']);
      expect(await store.count()).toBe(2);
    });

    it('purges expired entries and returns their keys', async () => {
      const { store } = await open();
      const now = Date.now();
      await store.set(record('old', { expiresAt: now + 50 }));
      await store.set(record('fresh', { expiresAt: now + 3_600_000 }));
      await store.set(record('forever'));
      expect(await store.purgeExpired(now + 1_000)).toEqual(['old']);
      expect(await store.get('old')).toBeUndefined();
      expect(await store.get('fresh')).toBeDefined();
      expect(await store.count()).toBe(2);
    });

    it('searches vectors only within their partition, and drops deleted ones', async () => {
      const { vectorIndex } = await open();
      await vectorIndex.add('p1', 'x', unit([1, 0, 0, 0]));
      await vectorIndex.add('p1', 'y', unit([1, 1, 0, 0]));
      await vectorIndex.add('p2', 'z', unit([1, 0, 0, 0]));
      const matches = await vectorIndex.search('p1', unit([1, 0, 0, 0]), 5);
      expect(matches.map((match) => match.key)).toEqual(['x', 'y']);
      expect(matches[0]?.similarity).toBeCloseTo(1, 5);
      expect(matches[1]?.similarity).toBeCloseTo(Math.SQRT1_2, 4);
      await vectorIndex.delete(['x']);
      expect((await vectorIndex.search('p1', unit([1, 0, 0, 0]), 5)).map((match) => match.key)).toEqual([
        'y',
      ]);
      expect(await vectorIndex.search('p3', unit([1, 0, 0, 0]), 5)).toEqual([]);
    });

    it('under a SemanticCache: exact and semantic hits, TTL, invalidation by tag and by scope', async () => {
      const stores = await open();
      const { cache, warnings } = cacheOver(stores);
      await cache.store(request('What is the capital city of France?'), answer('Paris.'), { tags: ['geo'] });
      await cache.store(request('How tall is Mount Everest?', 'globex'), answer('8,849 m.'));
      await cache.store(request('Who wrote Hamlet?'), answer('Shakespeare.'), { ttlMs: 1 });
      expect(await cache.lookup(request('What is the capital city of France?'))).toMatchObject({
        status: 'hit',
        kind: 'exact',
      });
      expect(await cache.lookup(request('what is the capital city of france'))).toMatchObject({
        status: 'hit',
        kind: 'semantic',
      });
      // Another tenant never sees the entry, even worded identically.
      expect((await cache.lookup(request('What is the capital city of France?', 'globex'))).status).toBe(
        'miss',
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await cache.lookup(request('Who wrote Hamlet?'))).status).toBe('miss');
      expect(await cache.invalidate({ tags: ['geo'] })).toBe(1);
      expect((await cache.lookup(request('What is the capital city of France?'))).status).toBe('miss');
      expect(await cache.invalidate({ scope: { tenant: 'globex' } })).toBe(1);
      expect((await cache.lookup(request('How tall is Mount Everest?', 'globex'))).status).toBe('miss');
      expect(warnings).toEqual([]);
    });

    if (options.shared) {
      it('shows one process the entries and vectors another stored, also to a process opened later', async () => {
        const first = cacheOver(await open()).cache;
        const second = cacheOver(await open()).cache;
        await first.store(request('How do I reset my password?'), answer('Use the reset link.'));
        expect(await second.lookup(request('How do I reset my password?'))).toMatchObject({ kind: 'exact' });
        expect(await second.lookup(request('how do i reset my password'))).toMatchObject({
          kind: 'semantic',
        });
        await second.store(request('How do I delete my account?'), answer('Settings, then Delete.'));
        const later = cacheOver(await open()).cache;
        expect(await later.lookup(request('how do i delete my account'))).toMatchObject({ kind: 'semantic' });
        expect(await first.invalidate({ scope: { tenant: 'acme' } })).toBe(2);
        expect((await later.lookup(request('How do I reset my password?'))).status).toBe('miss');
        expect((await later.lookup(request('how do i delete my account'))).status).toBe('miss');
      });
    }
  });
}

export type BanditStateContractOptions = {
  open: () => Promise<BanditStateStore>;
  /** Each `open` reaches the same state (another process), so concurrent updates can race. */
  shared: boolean;
};

/** What every bandit state store promises: round trips, no lost update under concurrency, delete. */
export function banditStateContract(name: string, options: BanditStateContractOptions): void {
  describe(`${name}: bandit state contract`, () => {
    const opened: BanditStateStore[] = [];
    const open = async () => {
      const store = await options.open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close?.();
    });

    it('starts empty, keeps the exact numbers an update wrote, and deletes', async () => {
      const store = await open();
      const id = uniqueId();
      expect(await store.load(id)).toBeUndefined();
      const written = await store.update(id, (current) => bump(current, 0.125));
      const loaded = (await store.load(id)) as BanditSnapshot;
      expect(loaded.steps).toBe(1);
      expect(Array.from(loaded.arms.cheap?.precision ?? [])).toEqual(
        Array.from(written.arms.cheap?.precision ?? []),
      );
      expect(loaded.arms.cheap?.rewardSum).toBe(0.125);
      await store.delete?.(id);
      expect(await store.load(id)).toBeUndefined();
    });

    it('loses no update when many run at once' + (options.shared ? ' from two processes' : ''), async () => {
      const stores = options.shared ? [await open(), await open()] : [await open()];
      const id = uniqueId();
      await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          (stores[index % stores.length] as BanditStateStore).update(id, (current) => bump(current, 1)),
        ),
      );
      const final = (await (stores[0] as BanditStateStore).load(id)) as BanditSnapshot;
      expect(final.steps).toBe(30);
      expect(final.arms.cheap?.pulls).toBe(30);
      expect(final.arms.cheap?.precision[0]).toBe(30);
    });

    it('writes nothing when apply throws', async () => {
      const store = await open();
      const id = uniqueId();
      await expect(
        store.update(id, () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.load(id)).toBeUndefined();
    });
  });
}

const FAR_FUTURE = 4_102_444_800_000;

function record(key: string, overrides: Partial<CacheEntryRecord> = {}): CacheEntryRecord {
  const payload = overrides.payload ?? `{"answer":"${key}"}`;
  return {
    key,
    partition: 'partition-1',
    scopeKey: 'acme',
    payload,
    tags: [],
    createdAt: 1_700_000_000_000,
    size: Buffer.byteLength(payload),
    ...overrides,
  };
}

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

export function request(question: string, tenant = 'acme'): TokenomicsRequest {
  return {
    model: 'openai:gpt-4o-mini',
    settings: { temperature: 0 },
    scope: { tenant },
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
      { role: 'user', content: [{ type: 'text', text: question }] },
    ],
  };
}

export function answer(text: string): CachedResponse {
  return {
    content: [{ type: 'text', text }],
    finishReason: 'stop',
    usage: { inputTokens: 20, outputTokens: 8 },
  };
}

/** A cache with a deterministic embedder and no learned verifier, so results do not depend on a model. */
export function cacheOver(stores: Pick<CacheStores, 'store' | 'vectorIndex'>, warnings: CacheWarning[] = []) {
  const cache = new SemanticCache({
    store: stores.store,
    vectorIndex: stores.vectorIndex,
    embedder: new HashingEmbedder({ dimensions: 64 }),
    threshold: 0.7,
    verifier: false,
    onWarning: (warning) => warnings.push(warning),
  });
  return { cache, warnings };
}

function bump(current: BanditSnapshot | undefined, reward: number): BanditSnapshot {
  const arm = current?.arms.cheap;
  return {
    schema: 'contract',
    dimensions: 2,
    steps: (current?.steps ?? 0) + 1,
    costWeight: 0.3,
    spentDollars: 0,
    updatedAt: Date.now(),
    arms: {
      cheap: {
        precision: Float64Array.from(arm?.precision ?? [0, 0, 0, 0], (value, index) =>
          index === 0 ? value + 1 : value + 1 / 3,
        ),
        weighted: Float64Array.from(arm?.weighted ?? [0, 0], (value) => value + reward),
        observations: (arm?.observations ?? 0) + 1,
        pulls: (arm?.pulls ?? 0) + 1,
        rewardSum: (arm?.rewardSum ?? 0) + reward,
      },
    },
  };
}

let counter = 0;
function uniqueId(): string {
  counter += 1;
  return `contract-${process.pid}-${Date.now()}-${counter}`;
}
