import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteCache } from '../../store/open-sqlite-cache';
import { createRouter } from '../create-router';
import { BanditStateStoreError } from '../errors';
import { contextualBandit } from '../policies/contextual-bandit';
import { CHEAP, STRONG, textAnswer, userRequest } from '../test-support/router-fixtures';
import type { BanditSnapshot } from '../types';
import { MemoryBanditStateStore } from './memory-bandit-state-store';
import { SqliteBanditStateStore } from './sqlite-bandit-state-store';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function temporaryFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'tokenomics-bandit-'));
  folders.push(folder);
  return join(folder, 'state.db');
}

/** Teaches a bandit that the cheap tier refuses, so it learns to avoid it. */
async function teach(
  store: SqliteBanditStateStore | MemoryBanditStateStore,
  requests: number,
): Promise<void> {
  const engine = createRouter({
    tiers: [CHEAP, STRONG],
    policy: contextualBandit({ store, initialQuality: 0.8, exploration: 0.01, forgetting: 1 }),
    seed: 3,
  });
  for (let index = 0; index < requests; index++) {
    await engine.run(userRequest('Tell me a joke'), async (tier) =>
      textAnswer(tier.id === 'cheap' ? "I'm sorry, but I can't help with that." : 'A joke.'),
    );
  }
}

describe('SqliteBanditStateStore', () => {
  it('keeps what the bandit learned across a restart', async () => {
    const path = temporaryFile();
    const store = await SqliteBanditStateStore.open(path);
    await teach(store, 15);
    const learned = await store.load('default');
    await store.close();

    const reopened = await SqliteBanditStateStore.open({ database: path });
    const restored = (await reopened.load('default')) as BanditSnapshot;
    expect(restored.steps).toBe(learned?.steps);
    expect(restored.arms.cheap?.pulls).toBeGreaterThan(0);
    expect(Array.from(restored.arms.cheap?.precision ?? [])).toEqual(
      Array.from(learned?.arms.cheap?.precision ?? []),
    );

    // A fresh process's router starts where the old one stopped: it avoids the refusing tier.
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: contextualBandit({ store: reopened, initialQuality: 0.8, exploration: 0.01 }),
    });
    expect((await engine.decide(userRequest('Tell me a joke'))).tier.id).toBe('strong');
    const untrained = createRouter({
      tiers: [CHEAP, STRONG],
      policy: contextualBandit({ initialQuality: 0.8, exploration: 0.01 }),
    });
    expect((await untrained.decide(userRequest('Tell me a joke'))).tier.id).toBe('cheap');
    await reopened.close();
  });

  it('applies concurrent updates from two connections without losing any', async () => {
    const path = temporaryFile();
    const first = await SqliteBanditStateStore.open(path);
    const second = await SqliteBanditStateStore.open(path);
    const bump = (current: BanditSnapshot | undefined): BanditSnapshot => ({
      schema: 'test',
      dimensions: 1,
      steps: (current?.steps ?? 0) + 1,
      costWeight: 0.3,
      spentDollars: 0,
      arms: {},
      updatedAt: Date.now(),
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => (index % 2 ? first : second).update('shared', bump)),
    );
    expect((await first.load('shared'))?.steps).toBe(20);
    await first.close();
    await second.close();
  });

  it('rolls back an update whose apply throws', async () => {
    const store = await SqliteBanditStateStore.open(temporaryFile());
    await expect(
      store.update('broken', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.load('broken')).toBeUndefined();
    await store.close();
    await expect(store.load('broken')).rejects.toSatisfy(BanditStateStoreError.isInstance);
  });

  it('the memory store hands out copies, not its own arrays', async () => {
    const store = new MemoryBanditStateStore();
    await teach(store, 3);
    const loaded = (await store.load('default')) as BanditSnapshot;
    (loaded.arms.cheap as { precision: Float64Array }).precision.fill(99);
    expect((await store.load('default'))?.arms.cheap?.precision[0]).not.toBe(99);
  });

  it('shares one file with the SQLite cache', async () => {
    const path = temporaryFile();
    const cache = await openSqliteCache({ path });
    const store = await SqliteBanditStateStore.open(path);
    await teach(store, 3);
    expect(await cache.store.count()).toBe(0);
    await store.close();
    await cache.close();
    const reopened = await SqliteBanditStateStore.open(path);
    expect((await reopened.load('default'))?.steps).toBe(3);
    await reopened.close();
  });
});
