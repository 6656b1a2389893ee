import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOptions, parseArguments, UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { formatMs, formatTable, writeJsonFile } from '../../output';
import { type MachineInfo, machineInfo } from '../machine-info';
import {
  clientConnection,
  runStoresBench,
  type StoresBenchResult,
  type StoresBenchRow,
} from './stores-bench';

const options = {
  sizes: {
    type: 'number-list',
    description: 'Entries in the store before timing',
    default: [10_000, 100_000],
    valueName: 'n,n',
  },
  clients: {
    type: 'number-list',
    description: 'Clients at once (each a process of its own for SQLite)',
    default: [1, 8],
    valueName: 'n,n',
  },
  operations: { type: 'number', description: 'Timed lookups (and writes) per client', default: 2000, min: 1 },
  directory: {
    type: 'string',
    description: 'Folder for the SQLite files (default: a temporary folder, removed after)',
    valueName: 'dir',
  },
  quick: { type: 'boolean', description: 'A tiny run (200 entries, 1 and 2 clients, 50 operations)' },
  json: { type: 'string', description: 'Also write the rows and machine info as JSON', valueName: 'file' },
} as const;

export const benchStoresHelp = `Usage: tokenomics bench stores [--sizes n,n] [--clients n,n] [--json FILE]

Exact lookups (a stored key, always a hit) and writes (a new key) on the SQLite store next to
the in-memory store: per second and p50/p99 per operation, with the store holding --sizes
entries, for each number of --clients (SQLite clients are processes sharing one file; the
in-memory store cannot be shared between processes, so it runs with one client only).

Options:
${formatOptions(options)}`;

export type BenchStoresResults = StoresBenchResult & {
  settings: { sizes: number[]; clients: number[]; operations: number };
  machine: MachineInfo;
  command: string;
  startedAt: string;
};

export async function benchStoresCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed, help, positionals } = parseArguments(argv, options);
  if (help) {
    io.out(benchStoresHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${positionals[0]}`);
  const settings = {
    sizes: parsed.quick ? [200] : [...parsed.sizes!],
    clients: parsed.quick ? [1, 2] : [...parsed.clients!],
    operations: parsed.quick ? 50 : parsed.operations!,
  };
  for (const value of [...settings.sizes, ...settings.clients])
    if (!(Number.isInteger(value) && value > 0))
      throw new UsageError('--sizes and --clients must be positive integers');
  const directory = parsed.directory ?? (await mkdtemp(join(tmpdir(), 'tokenomics-bench-stores-')));
  const startedAt = new Date().toISOString();
  try {
    const result = await runStoresBench({
      ...settings,
      directory,
      onRow: (row) =>
        io.err(
          `${row.store} ${row.entries} entries x ${row.clients}: lookup p50 ${formatMs(row.lookups.p50Ms)} ms`,
        ),
    });
    const results: BenchStoresResults = {
      ...result,
      settings,
      machine: machineInfo(),
      command: `tokenomics bench stores ${argv.join(' ')}`.trim(),
      startedAt,
    };
    io.out(storesTable(results.rows));
    for (const reason of result.skipped) io.out(`skipped ${reason}`);
    const machine = results.machine;
    io.out(
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
    );
    if (parsed.json) await writeJsonFile(parsed.json, results);
    return 0;
  } finally {
    if (!parsed.directory) await rm(directory, { recursive: true, force: true });
  }
}

export function storesTable(rows: readonly StoresBenchRow[]): string {
  return formatTable(rows, [
    { header: 'store', value: (row) => row.store },
    { header: 'entries', value: (row) => row.entries.toLocaleString('en-US'), align: 'right' },
    { header: 'clients', value: (row) => `${row.clients} (${row.clientKind})` },
    { header: 'lookups/s', value: (row) => perSecond(row.lookups.perSecond), align: 'right' },
    { header: 'lookup p50 ms', value: (row) => formatMs(row.lookups.p50Ms), align: 'right' },
    { header: 'lookup p99 ms', value: (row) => formatMs(row.lookups.p99Ms), align: 'right' },
    { header: 'writes/s', value: (row) => perSecond(row.writes.perSecond), align: 'right' },
    { header: 'write p50 ms', value: (row) => formatMs(row.writes.p50Ms), align: 'right' },
    { header: 'write p99 ms', value: (row) => formatMs(row.writes.p99Ms), align: 'right' },
  ]);
}

function perSecond(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const clientOptions = {
  path: { type: 'string', description: 'The SQLite file', valueName: 'file' },
  entries: { type: 'number', description: 'Entries stored before', min: 1 },
  operations: { type: 'number', description: 'Timed lookups (and writes)', min: 1 },
  client: { type: 'number', description: 'Client number (seeds its keys)', min: 0 },
} as const;

/** Internal: one client of `bench stores`, in a process of its own; prints its samples as JSON. */
export async function benchStoresClientCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed } = parseArguments(argv, clientOptions);
  if (!parsed.path || !parsed.entries || !parsed.operations || parsed.client === undefined)
    throw new UsageError('stores-client needs --path, --entries, --operations and --client');
  const samples = await clientConnection({
    path: parsed.path,
    entries: parsed.entries,
    operations: parsed.operations,
    client: parsed.client,
  });
  io.out(JSON.stringify(samples));
  return 0;
}
