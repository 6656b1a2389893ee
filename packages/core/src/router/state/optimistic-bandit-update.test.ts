import { describe, expect, it } from 'vitest';
import type { CacheWarning } from '../../cache/types';
import { BanditStateStoreError } from '../errors';
import type { BanditSnapshot } from '../types';
import {
  decodeStoredBanditSnapshot,
  MAX_UPDATE_ATTEMPTS,
  type OptimisticBanditState,
  updateBanditOptimistically,
} from './optimistic-bandit-update';
import { encodeSnapshot } from './snapshot-codec';

function snapshot(steps: number): BanditSnapshot {
  return {
    schema: 'test',
    dimensions: 1,
    steps,
    costWeight: 0,
    spentDollars: 0,
    arms: {
      cheap: {
        precision: Float64Array.of(1),
        weighted: Float64Array.of(0.5),
        observations: 1,
        pulls: steps,
        rewardSum: 0,
      },
    },
    updatedAt: steps,
  };
}

/** A shared row with a version, as a server store keeps it; every read and write yields to others. */
function sharedRow(): OptimisticBanditState<number> & { stored: () => BanditSnapshot | undefined } {
  let row: { snapshot: BanditSnapshot; version: number } | undefined;
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    stored: () => row?.snapshot,
    async read() {
      await tick();
      return { snapshot: row?.snapshot, version: row?.version ?? 0 };
    },
    async compareAndSet(next, version) {
      await tick();
      if ((row?.version ?? 0) !== version) return false;
      row = { snapshot: next, version: version + 1 };
      return true;
    },
  };
}

const addStep = (current: BanditSnapshot | undefined) => snapshot((current?.steps ?? 0) + 1);

describe('updateBanditOptimistically', () => {
  it('loses no update when processes race: each lost race reads again and re-applies', async () => {
    const row = sharedRow();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => updateBanditOptimistically('default', addStep, row)),
    );
    expect(row.stored()?.steps).toBe(8);
    expect(results.map((result) => result.steps).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('fails with a typed error after losing every race, without writing', async () => {
    let reads = 0;
    const alwaysBeaten: OptimisticBanditState<string> = {
      read: async () => {
        reads++;
        return { snapshot: undefined, version: String(reads) };
      },
      compareAndSet: async () => false,
    };
    const update = updateBanditOptimistically('busy', addStep, alwaysBeaten);
    await expect(update).rejects.toBeInstanceOf(BanditStateStoreError);
    await expect(update).rejects.toThrow(/bandit busy: 25 attempts lost the race/);
    expect(reads).toBe(MAX_UPDATE_ATTEMPTS);
  });
});

describe('decodeStoredBanditSnapshot', () => {
  it('decodes what was stored', () => {
    const warnings: CacheWarning[] = [];
    const decoded = decodeStoredBanditSnapshot('default', encodeSnapshot(snapshot(3)), (warning) =>
      warnings.push(warning),
    );
    expect(decoded?.steps).toBe(3);
    expect(warnings).toEqual([]);
  });

  it('treats unreadable statistics as absent and says so', () => {
    const warnings: CacheWarning[] = [];
    const stored = { meta: encodeSnapshot(snapshot(3)).meta, data: new Uint8Array(5) };
    expect(
      decodeStoredBanditSnapshot('default', stored, (warning) => warnings.push(warning)),
    ).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ code: 'malformed-bandit-state' })]);
    expect(warnings[0]?.message).toContain('bandit default');
  });
});
