import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOptions, type ParsedOptions, parseArguments, UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { formatMs, formatTable, writeJsonFile } from '../../output';
import { type MachineInfo, machineInfo } from '../machine-info';
import { readQqpVectors } from './qqp-vectors';
import { runSearchClient } from './search-client';
import { type PostgresScaleResult, runPostgresScale } from './semantic-scale-postgres';
import { runSqliteScale, type SqliteScaleResult } from './semantic-scale-sqlite';
import {
  clientConnection,
  runStoresBench,
  type StoresBenchResult,
  type StoresBenchRow,
} from './stores-bench';

const DEFAULT_QQP_PAIRS = '../shared/datasets/cache/qqp/pairs.jsonl.gz';
const DEFAULT_QQP_EMBEDDINGS = '.tokenomics/cache-pairs/embeddings/use-lite-512_energetic-ai-0.2.bin';

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
  vectors: {
    type: 'string',
    description:
      'qqp: instead, the semantic run on SQLite: --entries clustered vectors (QQP question embeddings and perturbed copies), recall@10 against exact search',
    valueName: 'qqp',
  },
  entries: { type: 'number', description: 'Vectors stored, with --vectors', default: 1_000_000, min: 1 },
  pairs: { type: 'string', description: 'QQP pairs file', default: DEFAULT_QQP_PAIRS, valueName: 'file' },
  embeddings: {
    type: 'string',
    description: 'Their USE-lite vectors (a bench cache --embedding-cache file)',
    default: DEFAULT_QQP_EMBEDDINGS,
    valueName: 'file',
  },
  queries: {
    type: 'number',
    description: 'Held-out questions searched, with --vectors',
    default: 200,
    min: 1,
  },
  similarity: {
    type: 'number',
    description: 'Cosine of a perturbed copy to its question',
    default: 0.95,
    min: 0,
    max: 1,
  },
  passes: { type: 'number', description: 'Timed passes over the queries', default: 5, min: 1 },
  expansionSearch: {
    type: 'number',
    description: 'With --vectors: the search beam width (HNSW ef; default: the store default, 128)',
    min: 1,
    valueName: 'n',
  },
  reuse: {
    type: 'boolean',
    description:
      'With --vectors and --directory: reuse the scale.sqlite an earlier run with the same settings left there (rows not written again; a graph it saved is searched as it is)',
  },
  postgres: {
    type: 'string',
    description:
      'With --vectors: run it on this PostgreSQL server with pgvector instead of SQLite (its own tables, dropped after)',
    valueName: 'url',
  },
  partitions: {
    type: 'number',
    description: 'With --postgres: scopes the vectors are spread over (each search filtered to one)',
    default: 4,
    min: 1,
  },
  indexedWrites: {
    type: 'number',
    description:
      'With --postgres: vectors written with the HNSW index in place (timed), before the bulk load',
    default: 1_000,
    min: 0,
  },
  buildMemory: {
    type: 'string',
    description: "With --postgres: maintenance_work_mem for the index build (pgvector's build runs in it)",
    default: '512MB',
    valueName: 'size',
  },
  serverPid: {
    type: 'number',
    description: "With --postgres: the server's process id, to report its RSS (Linux)",
    min: 1,
  },
  json: { type: 'string', description: 'Also write the rows and machine info as JSON', valueName: 'file' },
} as const;

export const benchStoresHelp = `Usage: tokenomics bench stores [--sizes n,n] [--clients n,n] [--json FILE]

Exact lookups (a stored key, always a hit) and writes (a new key) on the SQLite store next to
the in-memory store: per second and p50/p99 per operation, with the store holding --sizes
entries, for each number of --clients (SQLite clients are processes sharing one file; the
in-memory store cannot be shared between processes, so it runs with one client only).

With --vectors qqp: --entries vectors in one partition of a SQLite file (the QQP questions'
USE-lite vectors, each question stored once as itself and then as copies at cosine
--similarity to it, --queries questions held out), then a process that opens the file with no
saved graph: the store's worker builds it at the default settings while searches answer, and
each held-out question is searched --passes times (p50/p99, recall@10 against exact search,
RSS of that process). With --postgres as well, the same vectors go to PostgreSQL/pgvector
through the store instead, spread over --partitions scopes: the first --indexed-writes with
the HNSW index in place, the rest with addMany before the store's migration builds the index;
each question is searched in its scope with the store's filtered search (p50/p99 over the
connection, recall@10 against the scope's exact top 10, RSS of --server-pid).

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
  if (parsed.vectors !== undefined) return benchScaleCommand(argv, parsed, io);
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

async function benchScaleCommand(
  argv: readonly string[],
  parsed: ParsedOptions<typeof options>,
  io: CommandIo,
): Promise<number> {
  if (parsed.vectors !== 'qqp') throw new UsageError('--vectors takes qqp');
  if (parsed.postgres !== undefined) return benchPostgresScaleCommand(argv, parsed, io);
  const seed = SCALE_SEED;
  const vectors = await readScaleVectors(parsed);
  const directory = parsed.directory ?? (await mkdtemp(join(tmpdir(), 'tokenomics-bench-scale-')));
  const startedAt = new Date().toISOString();
  try {
    const result = await runSqliteScale({
      vectors,
      entries: parsed.entries!,
      similarity: parsed.similarity!,
      seed,
      directory,
      passes: parsed.passes!,
      ...(parsed.expansionSearch !== undefined ? { expansionSearch: parsed.expansionSearch } : {}),
      reuse: parsed.reuse === true && parsed.directory !== undefined,
    });
    io.out(scaleSummary(result));
    if (parsed.json)
      await writeJsonFile(parsed.json, {
        result,
        questionsWithoutVector: vectors.missing,
        machine: machineInfo(),
        command: `tokenomics bench stores ${argv.join(' ')}`.trim(),
        startedAt,
      });
    return 0;
  } finally {
    if (!parsed.directory) await rm(directory, { recursive: true, force: true });
  }
}

const SCALE_SEED = 42;

/** The QQP question vectors both scale runs (SQLite, PostgreSQL) store and search. */
function readScaleVectors(parsed: ParsedOptions<typeof options>) {
  return readQqpVectors({
    pairsFile: parsed.pairs!,
    embeddingFile: parsed.embeddings!,
    dimensions: 512,
    queries: parsed.queries!,
    seed: SCALE_SEED,
  });
}

async function benchPostgresScaleCommand(
  argv: readonly string[],
  parsed: ParsedOptions<typeof options>,
  io: CommandIo,
): Promise<number> {
  const seed = SCALE_SEED;
  const vectors = await readScaleVectors(parsed);
  const startedAt = new Date().toISOString();
  const result = await runPostgresScale({
    vectors,
    entries: parsed.entries!,
    similarity: parsed.similarity!,
    seed,
    url: parsed.postgres!,
    partitions: parsed.partitions!,
    indexedWrites: parsed.indexedWrites!,
    buildMemory: parsed.buildMemory!,
    passes: parsed.passes!,
    serverPid: parsed.serverPid,
    onProgress: (message) => io.err(message),
  });
  io.out(postgresScaleSummary(result));
  const machine = machineInfo();
  io.out(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
  );
  if (parsed.json)
    await writeJsonFile(parsed.json, {
      result,
      questionsWithoutVector: vectors.missing,
      machine,
      command: `tokenomics bench stores ${argv.join(' ')}`.trim(),
      startedAt,
    });
  return 0;
}

export function postgresScaleSummary(result: PostgresScaleResult): string {
  const count = (value: number) => value.toLocaleString('en-US');
  const memory =
    result.serverRssMb === undefined
      ? 'server RSS not measured (no --server-pid)'
      : `server RSS ${result.serverRssMb} MB (peak ${result.serverPeakRssMb} MB)`;
  return [
    `${count(result.entries)} vectors (${count(result.bases)} questions, copies at cosine ${result.similarity}) in ${result.partitions} scopes, ${result.index}`,
    `writes: ${count(result.indexedWrites.vectors)} with the HNSW index in place at ${count(result.indexedWrites.perSecond)}/s, ${count(result.load.vectors)} without it at ${count(result.load.perSecond)}/s; index built in ${result.indexBuildSeconds} s (maintenance_work_mem ${result.buildMemory})`,
    `search p50 ${formatMs(result.searchP50Ms)} ms, p99 ${formatMs(result.searchP99Ms)} ms over ${count(result.searches)} searches; recall@10 ${result.recallAt10.toFixed(3)} (${result.queries} held-out questions, each in its scope); plan ${result.usesHnswIndex ? 'uses the HNSW index' : 'does NOT use the HNSW index'}`,
    memory,
  ].join('\n');
}

export function scaleSummary(result: SqliteScaleResult): string {
  return [
    `${result.entries.toLocaleString('en-US')} vectors (${result.bases.toLocaleString('en-US')} questions, copies at cosine ${result.similarity}), ${result.index}`,
    `search p50 ${formatMs(result.searchP50Ms)} ms, p99 ${formatMs(result.searchP99Ms)} ms over ${result.searches} searches; recall@10 ${result.recallAt10.toFixed(3)} (${result.queries} held-out questions)`,
    `RSS ${result.rssMb} MB (peak ${result.peakRssMb} MB), graph built in ${result.buildSeconds} s; while it built: ${result.duringBuild.searches} searches, p50 ${formatMs(result.duringBuild.p50Ms)} ms, longest ${formatMs(result.duringBuild.maxMs)} ms; event loop longest stall ${formatMs(result.eventLoopMaxDelayMs)} ms`,
  ].join('\n');
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

const searchOptions = {
  path: { type: 'string', description: 'The SQLite file', valueName: 'file' },
  queriesFile: {
    type: 'string',
    description: 'Query vectors (float32, one after another)',
    valueName: 'file',
  },
  dimensions: { type: 'number', description: 'Vector length', min: 1 },
  passes: { type: 'number', description: 'Timed passes over the queries', min: 1 },
  expansionSearch: { type: 'number', description: 'Search beam width (HNSW ef)', min: 1 },
} as const;

/** Internal: the search side of `bench stores --vectors`, in a process of its own; prints JSON. */
export async function benchStoresSearchCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed } = parseArguments(argv, searchOptions);
  if (!parsed.path || !parsed.queriesFile || !parsed.dimensions || !parsed.passes)
    throw new UsageError('stores-search needs --path, --queries-file, --dimensions and --passes');
  const result = await runSearchClient({
    path: parsed.path,
    queriesFile: parsed.queriesFile,
    dimensions: parsed.dimensions,
    passes: parsed.passes,
    ...(parsed.expansionSearch !== undefined ? { expansionSearch: parsed.expansionSearch } : {}),
  });
  io.out(JSON.stringify(result));
  return 0;
}
