import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { summarizeLatency } from '../metrics/percentile';
import {
  entryKey,
  entryRecord,
  removeAll,
  type StoreThroughputRow,
  type StoreUnderTest,
} from './store-throughput';

/** What a client process is told: which store, and its share of the work. */
export type ClientProcessJob = {
  store: 'redis' | 'postgres';
  url: string;
  namespace: string;
  entries: number;
  lookups: number;
  client: number;
  clients: number;
};

type ClientSamples = { writes: number[]; lookups: number[] };

/**
 * Exact-entry throughput with each client a process of its own (`tokenomics bench
 * server-stores-client`) holding one connection. The processes start and connect first; then
 * all are told to write their share of the entries at once, and once every one has, to look up
 * their share of the lookups. Per second = operations over the wall time of that phase.
 */
export async function measureThroughputInProcesses(
  target: StoreUnderTest,
  job: Omit<ClientProcessJob, 'client' | 'namespace'>,
): Promise<StoreThroughputRow> {
  const namespace = `bench-${Date.now()}-${job.entries}-${job.clients}p`;
  const children = Array.from({ length: job.clients }, (_, client) =>
    startClient({ ...job, namespace, client }),
  );
  try {
    await Promise.all(children.map((child) => child.next()));
    const writeStarted = performance.now();
    for (const child of children) child.send('write');
    await Promise.all(children.map((child) => child.next()));
    const writeWallMs = performance.now() - writeStarted;
    const readStarted = performance.now();
    for (const child of children) child.send('read');
    const results = (await Promise.all(children.map((child) => child.next()))).map(
      (line) => JSON.parse(line) as ClientSamples,
    );
    const readWallMs = performance.now() - readStarted;
    const writes = summarizeLatency(results.flatMap((result) => result.writes));
    const reads = summarizeLatency(results.flatMap((result) => result.lookups));
    const cleanup = await target.open(namespace, 1);
    try {
      await removeAll(cleanup, job.entries);
    } finally {
      await cleanup.close();
    }
    return {
      store: target.name,
      entries: job.entries,
      clients: job.clients,
      clientKind: 'processes',
      connections: job.clients,
      writesPerSecond: job.entries / (writeWallMs / 1000),
      writeP50Ms: writes.p50Ms,
      writeP99Ms: writes.p99Ms,
      lookupsPerSecond: job.lookups / (readWallMs / 1000),
      lookupP50Ms: reads.p50Ms,
      lookupP99Ms: reads.p99Ms,
    };
  } finally {
    for (const child of children) child.stop();
  }
}

type ClientHandle = { next(): Promise<string>; send(line: string): void; stop(): void };

function startClient(job: ClientProcessJob): ClientHandle {
  const argv = [
    ...process.execArgv,
    process.argv[1] as string,
    'bench',
    'server-stores-client',
    '--job',
    JSON.stringify(job),
  ];
  const child: ChildProcess = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let failure: Error | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else lines.push(line);
  });
  child.on('exit', (code) => {
    failure = new Error(`server-stores-client ${job.client} exited with code ${code}`);
    for (const waiter of waiting.splice(0)) waiter.reject(failure);
  });
  return {
    next: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send: (line) => child.stdin!.write(`${line}\n`),
    stop: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * The client side: connects, says `ready`; on `write` stores entries client, client + clients,
 * ... and says `written`; on `read` looks up its share of the lookups and prints its samples.
 */
export async function runClientProcess(
  target: StoreUnderTest,
  job: ClientProcessJob,
  io: { out(text: string): void; nextLine(): Promise<string | undefined> },
): Promise<void> {
  const opened = await target.open(job.namespace, 1);
  const store = opened.stores[0]!;
  try {
    const samples: ClientSamples = { writes: [], lookups: [] };
    io.out('ready');
    for (let command = await io.nextLine(); command !== undefined; command = await io.nextLine()) {
      if (command === 'write') {
        for (let index = job.client; index < job.entries; index += job.clients) {
          const begun = performance.now();
          await store.set(entryRecord(index));
          samples.writes.push(performance.now() - begun);
        }
        io.out('written');
      } else if (command === 'read') {
        for (let index = job.client; index < job.lookups; index += job.clients) {
          const key = entryKey((index * 7919) % job.entries);
          const begun = performance.now();
          const found = await store.get(key);
          samples.lookups.push(performance.now() - begun);
          if (!found) throw new Error(`${target.name} lost entry ${key}`);
        }
        io.out(JSON.stringify(samples));
        return;
      }
    }
  } finally {
    await opened.close();
  }
}
