import type { CacheWarning } from '../../cache/types';
import { BanditStateStoreError, errorMessage } from '../errors';
import type { BanditSnapshot } from '../types';
import { decodeSnapshot } from './snapshot-codec';

/** Attempts of one update when other processes keep winning the race; then it fails (typed). */
export const MAX_UPDATE_ATTEMPTS = 25;

/** A stored snapshot and the version its store compares before a write (absent: nothing stored). */
export type VersionedBanditSnapshot<Version> = { snapshot: BanditSnapshot | undefined; version: Version };

/** A server-backed store's two primitives for one bandit; `compareAndSet` is its atomic write. */
export type OptimisticBanditState<Version> = {
  read(): Promise<VersionedBanditSnapshot<Version>>;
  /** Writes `next` only if nobody wrote since `version` was read; false when someone did. */
  compareAndSet(next: BanditSnapshot, version: Version): Promise<boolean>;
};

/**
 * The update of a bandit store shared by many processes, as an optimistic transaction: read the
 * snapshot and its version, apply, and write with the store's compare-and-set; a lost race waits a
 * short random, growing moment, reads again and re-applies. No update is lost and no lock is held
 * while `apply` runs; after MAX_UPDATE_ATTEMPTS lost races it throws BanditStateStoreError.
 */
export async function updateBanditOptimistically<Version>(
  banditId: string,
  apply: (current: BanditSnapshot | undefined) => BanditSnapshot,
  state: OptimisticBanditState<Version>,
): Promise<BanditSnapshot> {
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    const { snapshot, version } = await state.read();
    const next = apply(snapshot);
    if (await state.compareAndSet(next, version)) return next;
    await pause(Math.random() * 2 * (attempt + 1));
  }
  throw new BanditStateStoreError(
    `bandit ${banditId}: ${MAX_UPDATE_ATTEMPTS} attempts lost the race to other writers`,
  );
}

/** A stored snapshot decoded; an unreadable one is reported (`malformed-bandit-state`) and treated as absent. */
export function decodeStoredBanditSnapshot(
  banditId: string,
  stored: { meta: string; data: Uint8Array },
  onWarning: (warning: CacheWarning) => void,
): BanditSnapshot | undefined {
  try {
    return decodeSnapshot(stored.meta, stored.data);
  } catch (error) {
    onWarning({
      code: 'malformed-bandit-state',
      message: `bandit ${banditId}: stored statistics are unreadable, starting afresh: ${errorMessage(error)}`,
      cause: error,
    });
    return undefined;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
