import { formatOptions, parseArguments, UsageError } from '../args';
import type { CommandIo } from '../commands/command-io';
import { formatMs, formatTable, writeJsonFile } from '../output';
import { type MachineInfo, machineInfo } from './machine-info';
import {
  DECISION_P50_TARGET_MS,
  type RoutingLatencyResult,
  type RoutingLatencyRow,
  runRoutingLatency,
} from './routing-latency';

const options = {
  decisions: { type: 'number', description: 'Timed decisions per policy', default: 5000, min: 1 },
  warmup: {
    type: 'number',
    // Fewer left the first policy timed at twice its speed later in the same run (JIT still warming).
    description: 'Untimed decisions per policy first (OutcomeMemory rows: at most 50)',
    default: 2000,
    min: 0,
  },
  memorySizes: {
    type: 'number-list',
    description: 'Outcomes per tier for the OutcomeMemory rows',
    default: [1000, 10_000, 50_000],
    valueName: 'n,n',
  },
  memoryDecisions: {
    type: 'number',
    description: 'Timed decisions per OutcomeMemory row (each searches the whole memory)',
    default: 1000,
    min: 1,
  },
  embeddings: {
    type: 'string',
    description: "Request embeddings: 'use-lite' (the prompts' real ones) or 'random' (unit vectors)",
    default: 'use-lite',
    valueName: 'kind',
  },
  quick: {
    type: 'boolean',
    description: 'A tiny run (20 decisions, random embeddings, 100 outcomes) to check the command works',
  },
  json: { type: 'string', description: 'Also write the rows and machine info as JSON', valueName: 'file' },
} as const;

export const benchRoutingLatencyHelp = `Usage: tokenomics bench routing-latency [--decisions N] [--json FILE]

Times the core router's decision, engine.decide(request, { embedding }), with the embedding
computed beforehand (the target excludes it): feature extraction, the policy, the trace and the
decision record. Policies: classifierPrior with the shipped prior (ONNX and TypeScript runtimes),
contextualBandit Thompson and LinUCB (memory and SQLite state), the cascade's decide step, and
classifierPrior on an OutcomeMemory of each --memory-sizes. Prompts rotate over short chat, long
retrieval-augmented prompts, code and math. Target: p50 ≤ ${DECISION_P50_TARGET_MS} ms per policy.

Options:
${formatOptions(options)}`;

export type BenchRoutingLatencyResults = RoutingLatencyResult & {
  settings: { decisions: number; warmup: number; memoryDecisions: number; memorySizes: number[] };
  targetP50Ms: number;
  machine: MachineInfo;
  command: string;
  startedAt: string;
};

export async function benchRoutingLatencyCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed, help, positionals } = parseArguments(argv, options);
  if (help) {
    io.out(benchRoutingLatencyHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected argument ${positionals[0]}`);
  const quick = parsed.quick;
  const embeddings = quick ? 'random' : parsed.embeddings;
  if (embeddings !== 'use-lite' && embeddings !== 'random') {
    throw new UsageError("--embeddings must be 'use-lite' or 'random'");
  }
  const settings = {
    decisions: quick ? 20 : parsed.decisions!,
    warmup: quick ? 5 : parsed.warmup!,
    memoryDecisions: quick ? 10 : parsed.memoryDecisions!,
    memorySizes: quick ? [100] : [...parsed.memorySizes!],
  };
  if (settings.memorySizes.some((size) => !(Number.isInteger(size) && size > 0))) {
    throw new UsageError('--memory-sizes must be positive integers');
  }
  const startedAt = new Date().toISOString();
  const result = await runRoutingLatency({
    ...settings,
    embeddings,
    ...(quick ? { banditTrainingOutcomes: 20 } : {}),
    onProgress: (message) => io.err(message),
    onRow: (row) => io.err(`${row.name}: p50 ${formatMs(row.p50Ms)} ms (${row.target.status})`),
  });
  const results: BenchRoutingLatencyResults = {
    ...result,
    settings,
    targetP50Ms: DECISION_P50_TARGET_MS,
    // Read after the run: the load average then covers the minute the decisions were timed in.
    machine: machineInfo(),
    command: `tokenomics bench routing-latency ${argv.join(' ')}`.trim(),
    startedAt,
  };
  io.out(routingLatencyTable(results.rows));
  io.out(
    `\n${result.embeddings === 'use-lite' ? 'USE-lite' : 'random'} ${result.embeddingDimensions}-d embeddings given precomputed; prompts: ${Object.entries(
      result.prompts,
    )
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ')}.`,
  );
  for (const skipped of result.skipped) io.out(`skipped ${skipped.name}: ${skipped.reason}`);
  const machine = results.machine;
  io.out(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAverage.join(' ')}`,
  );
  if (parsed.json) await writeJsonFile(parsed.json, results);
  return 0;
}

export function routingLatencyTable(rows: readonly RoutingLatencyRow[]): string {
  return formatTable(rows, [
    { header: 'policy', value: (row) => row.name },
    { header: 'p50 ms', value: (row) => formatMs(row.p50Ms), align: 'right' },
    { header: 'p90 ms', value: (row) => formatMs(row.p90Ms), align: 'right' },
    { header: 'p99 ms', value: (row) => formatMs(row.p99Ms), align: 'right' },
    {
      header: 'decisions/s',
      value: (row) => Math.round(row.decisionsPerSecond).toLocaleString('en-US'),
      align: 'right',
    },
    { header: 'timed', value: (row) => row.decisions },
    {
      header: 'store reads (warm-up/timed)',
      value: (row) => (row.storeCalls ? `${row.storeCalls.warmup.load}/${row.storeCalls.timed.load}` : '-'),
      align: 'right',
    },
    { header: `p50 ≤ ${DECISION_P50_TARGET_MS} ms`, value: (row) => row.target.status },
  ]);
}
