import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openSharedFileCache,
  paraphrase,
  question,
  type ReadTally,
  readBack,
} from '../test-utils/shared-file-workload';

const WRITERS = 8;
const ENTRIES = 1_000;
/** Low enough that every process builds a graph (in its worker) halfway through the writes. */
const APPROXIMATE_FROM = 2_000;
const script = fileURLToPath(new URL('../test-utils/shared-file-writer-process.ts', import.meta.url));

type Written = { phase: 'written'; failedWrites: number; own: ReadTally; others: ReadTally };
type Verified = { phase: 'verified'; exact: ReadTally; semantic: ReadTally; warnings: string[] };

let directory: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tokenomics-many-processes-'));
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
  children = [];
  rmSync(directory, { recursive: true, force: true });
});

function nextMessage<Message>(child: ChildProcess): Promise<Message> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as Message));
    child.once('exit', (code) => reject(new Error(`writer exited with code ${code} before answering`)));
  });
}

describe('one SQLite file, many processes', () => {
  it(`${WRITERS} processes x ${ENTRIES} writes and reads: nothing lost, nothing torn, before and after a restart`, async () => {
    const path = join(directory, 'shared.db');
    children = Array.from({ length: WRITERS }, (_, writer) =>
      fork(script, [path, String(writer), String(ENTRIES), String(WRITERS), String(APPROXIMATE_FROM)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const written = await Promise.all(children.map((child) => nextMessage<Written>(child)));
    for (const report of written) {
      expect(report.failedWrites).toBe(0);
      // Its own entry, read right after writing it, is always there.
      expect(report.own).toEqual({ hits: ENTRIES, misses: [], wrong: [] });
      // Others' entries may not be written yet, but a hit is never someone else's answer or half of one.
      expect(report.others.wrong).toEqual([]);
    }
    const verifying = children.map((child) => nextMessage<Verified>(child));
    for (const child of children) child.send('verify');
    const verified = await Promise.all(verifying);
    for (const report of verified) {
      expect(report.exact).toEqual({ hits: WRITERS * ENTRIES, misses: [], wrong: [] });
      expectFoundByMeaning(report.semantic, ENTRIES);
      expect(report.warnings.filter((code) => code !== 'write-retried')).toEqual([]);
    }

    const restarted = await openSharedFileCache(path, APPROXIMATE_FROM);
    await restarted.sqlite.vectorIndex.warmUp();
    const everyone = Array.from({ length: WRITERS * ENTRIES }, (_, at) => ({
      writer: Math.floor(at / ENTRIES),
      index: at % ENTRIES,
    }));
    expect(await readBack(restarted.cache, everyone, question)).toEqual({
      hits: WRITERS * ENTRIES,
      misses: [],
      wrong: [],
    });
    expectFoundByMeaning(await readBack(restarted.cache, everyone, paraphrase), WRITERS * ENTRIES);
    expect(await restarted.sqlite.store.count()).toBe(WRITERS * ENTRIES);
    await restarted.sqlite.close();
  }, 600_000);
});

/**
 * Lookups by paraphrase go through the approximate (HNSW) graph, which can fail to return a stored
 * neighbour now and then (seen here: 1 lookup in 8,000, under load): that costs a hit, never
 * correctness. Every entry is still there (the exact reads above require all of them), no answer is
 * ever another entry's, and at most 0.5% are missed.
 */
function expectFoundByMeaning(
  report: { hits: number; misses: string[]; wrong: string[] },
  total: number,
): void {
  expect(report.wrong).toEqual([]);
  expect(report.hits + report.misses.length).toBe(total);
  expect(report.misses.length).toBeLessThanOrEqual(Math.floor(total * 0.005));
}
