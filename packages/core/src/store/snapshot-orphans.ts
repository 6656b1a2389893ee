import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A graph file written by `SqliteVectorIndex`: `<partition hash>-<pid>-<time>-<random>.usearch`. */
const SNAPSHOT_NAME = /^[0-9a-f]{32}-(\d+)-[0-9a-z]+-[0-9a-z]+\.usearch$/;

/** Unrecorded graphs of a process that is gone are removed once they are this old (its save may still be landing elsewhere). */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
/** Unrecorded graphs of any process are removed once they are this old (a pid may have been reused). */
export const ORPHAN_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export type OrphanSweepOptions = {
  now?: number;
  /** Whether the process that wrote a file still runs (default: a signal-0 probe on this host). */
  isAlive?: (pid: number) => boolean;
};

/**
 * Removes graph files no partition's snapshot row names and no running save can still record: a
 * save killed between writing its file and recording it leaves one behind, and at a million
 * entries each is a gigabyte. A file is removed when nothing references it and it is either an
 * hour old with its writer gone, or a day old. Other files in the folder are left alone, and
 * nothing here throws: what cannot be read or removed is left for the next open. Returns the
 * names removed.
 */
export function removeOrphanSnapshots(
  directory: string,
  referenced: ReadonlySet<string>,
  options: OrphanSweepOptions = {},
): string[] {
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? processIsAlive;
  const removed: string[] = [];
  for (const name of listQuietly(directory)) {
    const match = SNAPSHOT_NAME.exec(name);
    if (!match || referenced.has(name)) continue;
    const path = join(directory, name);
    const age = now - modifiedAt(path, now);
    const writerGone = !isAlive(Number(match[1]));
    if (!(age >= ORPHAN_MAX_AGE_MS || (writerGone && age >= ORPHAN_MIN_AGE_MS))) continue;
    try {
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // In use or not ours to remove: left for the next open.
    }
  }
  return removed;
}

function listQuietly(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function modifiedAt(path: string, fallback: number): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return fallback;
  }
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
