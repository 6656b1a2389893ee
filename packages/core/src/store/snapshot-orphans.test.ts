import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ORPHAN_MAX_AGE_MS, ORPHAN_MIN_AGE_MS, removeOrphanSnapshots } from './snapshot-orphans';

const STEM = 'a'.repeat(32);
const folders: string[] = [];

function folderWith(files: Record<string, number>): { folder: string; now: number } {
  const folder = mkdtempSync(join(tmpdir(), 'orphans-'));
  folders.push(folder);
  const now = Date.now();
  for (const [name, ageMs] of Object.entries(files)) {
    const path = join(folder, name);
    writeFileSync(path, 'graph');
    const when = (now - ageMs) / 1000;
    utimesSync(path, when, when);
  }
  return { folder, now };
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('removeOrphanSnapshots', () => {
  it('removes an unrecorded graph of a process that is gone, and keeps the recorded one', () => {
    const recorded = `${STEM}-111-k1-aaaa.usearch`;
    const orphan = `${STEM}-222-k2-bbbb.usearch`;
    const { folder, now } = folderWith({
      [recorded]: 2 * ORPHAN_MAX_AGE_MS,
      [orphan]: 2 * ORPHAN_MIN_AGE_MS,
    });
    const removed = removeOrphanSnapshots(folder, new Set([recorded]), { now, isAlive: () => false });
    expect(removed).toEqual([orphan]);
    expect(readdirSync(folder)).toEqual([recorded]);
  });

  it('keeps a fresh or a running writer’s unrecorded graph: its save may be about to be recorded', () => {
    const fresh = `${STEM}-333-k3-cccc.usearch`;
    const running = `${STEM}-444-k4-dddd.usearch`;
    const { folder, now } = folderWith({ [fresh]: 60_000, [running]: 2 * ORPHAN_MIN_AGE_MS });
    const removed = removeOrphanSnapshots(folder, new Set(), {
      now,
      isAlive: (pid) => pid === 444,
    });
    expect(removed).toEqual([]);
    expect(existsSync(join(folder, fresh)) && existsSync(join(folder, running))).toBe(true);
  });

  it('removes a day-old unrecorded graph even when its pid runs again (reused)', () => {
    const stale = `${STEM}-555-k5-eeee.usearch`;
    const { folder, now } = folderWith({ [stale]: ORPHAN_MAX_AGE_MS + 1000 });
    expect(removeOrphanSnapshots(folder, new Set(), { now, isAlive: () => true })).toEqual([stale]);
  });

  it('leaves files it did not write, and a missing folder is not an error', () => {
    const { folder, now } = folderWith({
      'notes.txt': ORPHAN_MAX_AGE_MS * 2,
      'graph.usearch': ORPHAN_MAX_AGE_MS * 2,
    });
    expect(removeOrphanSnapshots(folder, new Set(), { now, isAlive: () => false })).toEqual([]);
    expect(readdirSync(folder).sort()).toEqual(['graph.usearch', 'notes.txt']);
    expect(removeOrphanSnapshots(join(folder, 'missing'), new Set())).toEqual([]);
  });

  it('treats this process as running', () => {
    const own = `${STEM}-${process.pid}-k6-ffff.usearch`;
    const { folder, now } = folderWith({ [own]: 2 * ORPHAN_MIN_AGE_MS });
    expect(removeOrphanSnapshots(folder, new Set(), { now })).toEqual([]);
  });
});
