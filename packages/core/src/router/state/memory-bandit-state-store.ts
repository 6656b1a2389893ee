import type { BanditSnapshot, BanditStateStore } from '../types';
import { cloneSnapshot } from './snapshot-codec';

/** Bandit statistics in process memory: lost on exit, shared by the bandits of one process. */
export class MemoryBanditStateStore implements BanditStateStore {
  private readonly snapshots = new Map<string, BanditSnapshot>();

  async load(banditId: string): Promise<BanditSnapshot | undefined> {
    const snapshot = this.snapshots.get(banditId);
    return snapshot ? cloneSnapshot(snapshot) : undefined;
  }

  async update(
    banditId: string,
    apply: (current: BanditSnapshot | undefined) => BanditSnapshot,
  ): Promise<BanditSnapshot> {
    // Synchronous between read and write, so no other update can interleave.
    const current = this.snapshots.get(banditId);
    const next = apply(current ? cloneSnapshot(current) : undefined);
    this.snapshots.set(banditId, cloneSnapshot(next));
    return next;
  }

  async delete(banditId: string): Promise<void> {
    this.snapshots.delete(banditId);
  }
}
