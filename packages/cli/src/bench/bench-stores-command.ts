import { createInterface } from 'node:readline';
import { openPostgresCache } from '@tokenomics/store-postgres';
import { openRedisCache } from '@tokenomics/store-redis';
import { formatOptions, parseArguments, UsageError } from '../args';
import type { CommandIo } from '../commands/command-io';
import { formatMs, formatTable, writeJsonFile } from '../output';
import { type MachineInfo, machineInfo } from './machine-info';
import {
  type ClientProcessJob,
  measureThroughputInProcesses,
  runClientProcess,
} from './server-store-processes';
import {
  measureSemanticSearch,
  measureStoreThroughput,
  memoryStore,
  type SemanticSearchRow,
  type StoreThroughputRow,
  type StoreUnderTest,
} from './store-throughput';

/** Store calls in the benchmark may take this long: it measures speed, not the fail-open bound. */
const BENCH_TIMEOUT_MS = 10_000;

const options = {
  redis: {
    type: 'string',
    description: 'A Redis server to measure (redis://127.0.0.1:port)',
    valueName: 'url',
  },
  postgres: {
    type: 'string',
    description: 'A PostgreSQL server with pgvector (postgres://user@127.0.0.1:port/db)',
    valueName: 'url',
  },
  postgresConnections: {
    type: 'number',
    description: 'Most connections to PostgreSQL (1 for PGlite, which serves one at a time)',
    default: 8,
    min: 1,
  },
  sizes: {
    type: 'number-list',
    description: 'Entries per run',
    default: [10_000, 100_000],
    valueName: 'n,n',
  },
  clients: {
    type: 'number-list',
    description: 'Concurrent client connections',
    default: [1, 8],
    valueName: 'n,n',
  },
  lookups: { type: 'number', description: 'Timed lookups per run', default: 5_000, min: 1 },
  vectorSizes: {
    type: 'number-list',
    description: 'Vectors for the semantic search rows',
    default: [10_000],
    valueName: 'n,n',
  },
  dimensions: { type: 'number', description: 'Vector length (USE-lite: 512)', default: 512, min: 2 },
  queries: { type: 'number', description: 'Timed semantic searches per run', default: 200, min: 1 },
  clientProcesses: {
    type: 'boolean',
    description: 'Server stores: each of --clients a process of its own with one connection (not PGlite)',
  },
  skipExact: { type: 'boolean', description: 'Only the semantic search rows' },
  skipSemantic: { type: 'boolean', description: 'Only the exact-entry rows (a server without pgvector)' },
  quick: { type: 'boolean', description: 'A tiny run (500 entries, 200 vectors) to check the command works' },
  json: { type: 'string', description: 'Also write the rows and machine info as JSON', valueName: 'file' },
} as const;

export const benchStoresHelp = `Usage: tokenomics bench server-stores [--redis URL] [--postgres URL] [--json FILE]

Exact-entry writes and lookups per second with p50/p99 per call, for the in-memory store and each
server store given, at each --sizes and --clients (concurrent callers in this process; Redis
gives each its own connection, PostgreSQL shares a pool of up to --postgres-connections; with
--client-processes, each client of a server store is a process of its own with one connection);
then semantic search latency and recall@10 against exact search, on clustered vectors in 4
partitions, for the in-memory index and PostgreSQL/pgvector (HNSW, filtered by partition).
Servers are used under a namespace of their own, and emptied afterwards.

Options:
${formatOptions(options)}`;

export type BenchStoresResults = {
  throughput: StoreThroughputRow[];
  semantic: SemanticSearchRow[];
  settings: Record<string, unknown>;
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
  const quick = parsed.quick === true;
  const sizes = quick ? [500] : parsed.sizes!;
  const clientCounts = quick ? [1, 2] : parsed.clients!;
  const lookups = quick ? 200 : parsed.lookups!;
  const vectorSizes = quick ? [200] : parsed.vectorSizes!;
  const queries = quick ? 20 : parsed.queries!;
  const dimensions = parsed.dimensions!;
  const targets = [
    memoryStore,
    ...serverTargets(
      parsed.redis,
      parsed.postgres,
      parsed.postgresConnections!,
      parsed.skipSemantic ? undefined : dimensions,
    ),
  ];
  const startedAt = new Date().toISOString();
  const throughput: StoreThroughputRow[] = [];
  for (const target of parsed.skipExact ? [] : targets) {
    for (const entries of sizes) {
      for (const clients of clientCounts) {
        const url = { redis: parsed.redis, postgres: parsed.postgres }[target.name];
        const asProcesses =
          parsed.clientProcesses === true && url !== undefined && clients > 1 && runsFromCliBin();
        io.err(
          `${target.name}: ${entries} entries, ${clients} client ${asProcesses ? 'processes' : 'callers'}…`,
        );
        throughput.push(
          asProcesses
            ? await measureThroughputInProcesses(target, {
                store: target.name as 'redis' | 'postgres',
                url: url as string,
                entries,
                lookups,
                clients,
              })
            : await measureStoreThroughput(target, entries, clients, lookups),
        );
      }
    }
  }
  const semantic: SemanticSearchRow[] = [];
  const searched = parsed.skipSemantic ? [] : targets;
  for (const target of searched.filter((candidate) => candidate.name !== 'redis')) {
    for (const entries of vectorSizes) {
      io.err(`${target.name}: semantic search over ${entries} vectors…`);
      semantic.push(await measureSemanticSearch(target, entries, dimensions, queries));
    }
  }
  io.out(throughputTable(throughput));
  io.out('');
  io.out(semanticTable(semantic));
  if (parsed.json) {
    const results: BenchStoresResults = {
      throughput,
      semantic,
      settings: {
        sizes,
        clients: clientCounts,
        clientProcesses: parsed.clientProcesses === true,
        lookups,
        vectorSizes,
        queries,
        dimensions,
      },
      machine: machineInfo(),
      command: `tokenomics bench server-stores ${argv.join(' ')}`.trim(),
      startedAt,
    };
    await writeJsonFile(parsed.json, results);
  }
  return 0;
}

/** Client processes start the CLI's bin again; elsewhere (a test runner) clients stay in-process. */
function runsFromCliBin(): boolean {
  return /bin\.(c|m)?js$/.test(process.argv[1] ?? '');
}

/**
 * Redis's semantic search runs in process memory (the same exact index as the memory row), so
 * it has no semantic row of its own; PostgreSQL's runs in the database.
 */
function serverTargets(
  redisUrl: string | undefined,
  postgresUrl: string | undefined,
  postgresConnections: number,
  dimensions: number | undefined,
): StoreUnderTest[] {
  const targets: StoreUnderTest[] = [];
  if (redisUrl) {
    targets.push({
      name: 'redis',
      async open(namespace, clients) {
        const opened = await Promise.all(
          Array.from({ length: clients }, () =>
            openRedisCache({ url: redisUrl, namespace, timeoutMs: BENCH_TIMEOUT_MS }),
          ),
        );
        return {
          stores: opened.map((redis) => redis.store),
          connections: clients,
          vectorIndex: opened[0]?.vectorIndex,
          close: async () => {
            for (const redis of opened) await redis.close();
          },
        };
      },
    });
  }
  if (postgresUrl) {
    targets.push({
      name: 'postgres',
      async open(namespace, clients) {
        const connections = Math.min(clients, postgresConnections);
        const postgres = await openPostgresCache({
          connectionString: postgresUrl,
          namespace,
          dimensions,
          maxConnections: connections,
          timeoutMs: BENCH_TIMEOUT_MS,
        });
        return {
          stores: Array.from({ length: clients }, () => postgres.store),
          connections,
          // PGlite has no autovacuum: without statistics the planner scans the partition exactly.
          settle: async () => {
            await postgres.pool.query('ANALYZE');
          },
          vectorIndex: postgres.vectorIndex,
          close: postgres.close,
        };
      },
    });
  }
  return targets;
}

function throughputTable(rows: StoreThroughputRow[]): string {
  const perSecond = (value: number) => Math.round(value).toLocaleString('en-US');
  return formatTable(rows, [
    { header: 'store', value: (row) => row.store },
    { header: 'entries', value: (row) => row.entries.toLocaleString('en-US'), align: 'right' },
    {
      header: 'clients',
      value: (row) => `${row.clients}${row.clientKind === 'processes' ? ' processes' : ''}`,
    },
    { header: 'connections', value: (row) => String(row.connections), align: 'right' },
    { header: 'writes/s', value: (row) => perSecond(row.writesPerSecond), align: 'right' },
    { header: 'write p50 ms', value: (row) => formatMs(row.writeP50Ms), align: 'right' },
    { header: 'write p99 ms', value: (row) => formatMs(row.writeP99Ms), align: 'right' },
    { header: 'lookups/s', value: (row) => perSecond(row.lookupsPerSecond), align: 'right' },
    { header: 'lookup p50 ms', value: (row) => formatMs(row.lookupP50Ms), align: 'right' },
    { header: 'lookup p99 ms', value: (row) => formatMs(row.lookupP99Ms), align: 'right' },
  ]);
}

function semanticTable(rows: SemanticSearchRow[]): string {
  return formatTable(rows, [
    { header: 'semantic search', value: (row) => row.store },
    { header: 'vectors', value: (row) => row.entries.toLocaleString('en-US'), align: 'right' },
    { header: 'p50 ms', value: (row) => formatMs(row.searchP50Ms), align: 'right' },
    { header: 'p99 ms', value: (row) => formatMs(row.searchP99Ms), align: 'right' },
    { header: 'recall@10', value: (row) => row.recallAt10.toFixed(3), align: 'right' },
  ]);
}

/** Internal: one client process of `bench server-stores --client-processes`. */
export async function benchServerStoresClientCommand(
  argv: readonly string[],
  io: CommandIo,
): Promise<number> {
  const { options: parsed } = parseArguments(argv, {
    job: { type: 'string', description: 'The job as JSON', valueName: 'json' },
  } as const);
  if (!parsed.job) throw new UsageError('server-stores-client needs --job');
  const job = JSON.parse(parsed.job) as ClientProcessJob;
  const [target] = serverTargets(
    job.store === 'redis' ? job.url : undefined,
    job.store === 'postgres' ? job.url : undefined,
    1,
    undefined,
  );
  if (!target) throw new UsageError(`unknown store ${job.store}`);
  // Lines are queued from the start: the parent may speak while the store is still connecting.
  const lines = createInterface({ input: process.stdin });
  const queued: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  lines.on('line', (line) => (waiting.length > 0 ? waiting.shift()?.(line) : queued.push(line)));
  lines.on('close', () => {
    for (const wake of waiting.splice(0)) wake(undefined);
  });
  const nextLine = () =>
    queued.length > 0
      ? Promise.resolve(queued.shift())
      : new Promise<string | undefined>((resolve) => waiting.push(resolve));
  try {
    await runClientProcess(target, job, { out: io.out, nextLine });
  } finally {
    lines.close();
    process.stdin.destroy();
  }
  return 0;
}
