import { join } from 'node:path';
import { MemoryCacheStore, openSqliteCache } from '@tokenomics/core';
import { type LatencySummary, summarizeLatency } from '../../metrics';
import { runCliForJson } from '../cli-child';
import { fillStore, type OperationSamples, runOperations } from './store-workload';

export type StoresBenchOptions = {
  sizes: readonly number[];
  clients: readonly number[];
  /** Timed lookups (and as many writes) per client. */
  operations: number;
  /** Where the SQLite files go. */
  directory: string;
  onRow?: (row: StoresBenchRow) => void;
};

export type OperationStats = LatencySummary & {
  /** Operations divided by the time spent in them, summed over the clients. */
  perSecond: number;
};

export type StoresBenchRow = {
  store: 'memory' | 'sqlite';
  entries: number;
  clients: number;
  /** 'processes': one OS process per client; 'connections': one connection each in this process. */
  clientKind: 'in-process' | 'processes' | 'connections';
  lookups: OperationStats;
  writes: OperationStats;
  fillSeconds: number;
};

export type StoresBenchResult = { rows: StoresBenchRow[]; skipped: string[] };

/**
 * Exact lookups and writes per second and their p50/p99 on the SQLite store next to the
 * in-memory store, at each size and number of clients. A client is a process of its own
 * (`tokenomics bench stores-client`) when the command runs from the CLI's bin.
 */
export async function runStoresBench(options: StoresBenchOptions): Promise<StoresBenchResult> {
  const rows: StoresBenchRow[] = [];
  const skipped: string[] = [];
  const add = (row: StoresBenchRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  for (const entries of options.sizes) {
    for (const clients of options.clients) {
      if (clients === 1) add(await memoryRow(entries, options.operations));
      else skipped.push(`memory x ${clients} clients: an in-memory store is not shared between processes`);
      add(await sqliteRow(entries, clients, options));
    }
  }
  return { rows, skipped };
}

async function memoryRow(entries: number, operations: number): Promise<StoresBenchRow> {
  const store = new MemoryCacheStore({ maxEntries: entries * 2 + operations });
  const filled = performance.now();
  await fillStore(store, entries);
  const fillSeconds = (performance.now() - filled) / 1000;
  const samples = await runOperations(store, { entries, operations, client: 0 });
  return { store: 'memory', entries, clients: 1, clientKind: 'in-process', ...stats([samples]), fillSeconds };
}

async function sqliteRow(
  entries: number,
  clients: number,
  options: StoresBenchOptions,
): Promise<StoresBenchRow> {
  const path = join(options.directory, `stores-${entries}-${clients}.sqlite`);
  const sqlite = await openSqliteCache({ path });
  const filled = performance.now();
  await fillStore(sqlite.store, entries);
  const fillSeconds = (performance.now() - filled) / 1000;
  if (clients === 1) {
    const samples = await runOperations(sqlite.store, { entries, operations: options.operations, client: 0 });
    await sqlite.close();
    return { store: 'sqlite', entries, clients, clientKind: 'in-process', ...stats([samples]), fillSeconds };
  }
  await sqlite.close();
  const bin = process.argv[1];
  const asProcesses = bin !== undefined && /bin\.(c|m)?js$/.test(bin);
  const run = asProcesses ? clientProcess : clientConnection;
  const samples = await Promise.all(
    Array.from({ length: clients }, (_, client) =>
      run({ path, entries, operations: options.operations, client: client + 1 }),
    ),
  );
  return {
    store: 'sqlite',
    entries,
    clients,
    clientKind: asProcesses ? 'processes' : 'connections',
    ...stats(samples),
    fillSeconds,
  };
}

type ClientJob = { path: string; entries: number; operations: number; client: number };

/** One client in a process of its own; it prints its samples as JSON. */
function clientProcess(job: ClientJob): Promise<OperationSamples> {
  const args = [
    'bench',
    'stores-client',
    '--path',
    job.path,
    '--entries',
    String(job.entries),
    '--operations',
    String(job.operations),
    '--client',
    String(job.client),
  ];
  return runCliForJson<OperationSamples>(args, `stores-client ${job.client}`);
}

/** One client as a connection of its own in this process (when not started from the CLI's bin). */
export async function clientConnection(job: ClientJob): Promise<OperationSamples> {
  const sqlite = await openSqliteCache({ path: job.path });
  try {
    return await runOperations(sqlite.store, job);
  } finally {
    await sqlite.close();
  }
}

function stats(samples: OperationSamples[]): { lookups: OperationStats; writes: OperationStats } {
  const of = (pick: (sample: OperationSamples) => number[]): OperationStats => {
    const all = samples.flatMap(pick);
    const perSecond = samples.reduce((sum, sample) => {
      const spent = pick(sample).reduce((total, value) => total + value, 0);
      return sum + (spent > 0 ? (pick(sample).length * 1000) / spent : 0);
    }, 0);
    return { ...summarizeLatency(all), perSecond };
  };
  return { lookups: of((sample) => sample.lookupMs), writes: of((sample) => sample.writeMs) };
}
