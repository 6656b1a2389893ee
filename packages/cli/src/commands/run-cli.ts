import { UsageError } from '../args';
import {
  benchServerStoresClientCommand,
  benchStoresCommand as benchServerStoresCommand,
  benchStoresHelp as benchServerStoresHelp,
} from '../bench/bench-stores-command';
import {
  benchCompressionCommand,
  benchCompressionHelp,
} from '../bench/compression/bench-compression-command';
import { benchE2eCommand, benchE2eHelp } from '../bench/e2e/bench-e2e-command';
import { benchRoutingCommand, benchRoutingHelp } from '../bench/routing/bench-routing-command';
import { benchRoutingLatencyCommand, benchRoutingLatencyHelp } from '../bench/routing-latency-command';
import {
  benchStoresClientCommand,
  benchStoresCommand,
  benchStoresHelp,
  benchStoresSearchCommand,
} from '../bench/stores/bench-stores-command';
import { DatasetError } from '../datasets';
import { playgroundCommand, playgroundHelp } from '../playground/playground-command';
import { reportCommand, reportHelp } from '../report/report-command';
import { benchCacheCommand, benchCacheHelp } from './bench-cache-command';
import { benchSemanticScaleCommand } from './bench-semantic-scale-command';
import { cliVersion } from './cli-version';
import { type CommandIo, processIo } from './command-io';
import { convertCommand, convertHelp } from './convert-command';
import { demoCommand, demoHelp } from './demo-command';
import { trainCommand, trainHelp } from './train-command';

export const mainHelp = `Usage: tokenomics <command> [options]

Commands:
  demo                      Run a mixed workload through the whole pipeline in LangChain and the AI SDK
  bench cache               Cache quality (pairs, contextual safety) and latency benchmarks
  bench compression         Prompt compression: answer retention, ratio and speed on public data
  bench e2e                 All stages on a replayed mixed workload: quality, dollars and savings by stage
  bench routing             Routing policies (APGR, CPT, dollars; online bandit) on recorded answers
  bench routing-latency     Router decision overhead per policy (p50/p90/p99, embedding excluded)
  bench stores              Store lookups and writes per second, p50/p99: SQLite (1 and 8 processes) vs memory
  bench server-stores       Store throughput and latency (memory, Redis, PostgreSQL), pgvector recall
  report <file>             Charts of a ledger or a benchmark's JSON, as one self-contained HTML page
  playground                A local page: send a prompt, see each stage's decision, cost and savings
  convert gptcache <file>   Convert GPTCache's {origin, similar} file to labelled pairs JSONL
  train                     Retrain the router prior, answer scorer, output-length model and cache verifier from your traffic

Run \`tokenomics <command> --help\` for the options of a command, \`tokenomics --version\` for the version.`;

/**
 * Runs one command line and returns the process exit code: 0 success, 1 a failed check
 * (the demo served a wrong answer, a file could not be read), 2 a usage error.
 */
export async function runCli(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        return await demoCommand(rest, io);
      case 'bench': {
        const [target, ...benchArguments] = rest;
        if (target === 'cache') return await benchCacheCommand(benchArguments, io);
        if (target === 'compression') return await benchCompressionCommand(benchArguments, io);
        if (target === 'routing') return await benchRoutingCommand(benchArguments, io);
        if (target === 'e2e') return await benchE2eCommand(benchArguments, io);
        if (target === 'routing-latency') return await benchRoutingLatencyCommand(benchArguments, io);
        if (target === 'stores') return await benchStoresCommand(benchArguments, io);
        if (target === 'server-stores') return await benchServerStoresCommand(benchArguments, io);
        // Internal: one client of `bench stores`, in a process of its own.
        if (target === 'stores-client') return await benchStoresClientCommand(benchArguments, io);
        // Internal: one client process of `bench server-stores --client-processes`.
        if (target === 'server-stores-client')
          return await benchServerStoresClientCommand(benchArguments, io);
        // Internal: the search side of `bench stores --vectors`, in a process of its own.
        if (target === 'stores-search') return await benchStoresSearchCommand(benchArguments, io);
        // Internal: one index size in a process of its own, so its RSS is measured alone.
        if (target === 'semantic-scale') return await benchSemanticScaleCommand(benchArguments, io);
        if (target === undefined || target === '--help' || target === '-h') {
          io.out(benchCacheHelp);
          return target === undefined ? 2 : 0;
        }
        throw new UsageError(
          `Unknown benchmark "${target}"; available: cache, compression, e2e, routing, routing-latency, stores, server-stores`,
        );
      }
      case 'convert':
        return await convertCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'playground':
        return await playgroundCommand(rest, io);
      case 'train':
        return await trainCommand(rest, io);
      case '--version':
      case '-v':
      case 'version':
        io.out(cliVersion());
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(mainHelp);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
  } catch (error) {
    if (UsageError.isInstance(error)) {
      // A bad option of a known command shows that command's usage, not the list of commands.
      io.err(`tokenomics: ${error.message}\n\n${commandHelp(command, rest[0]) ?? mainHelp}`);
      return 2;
    }
    if (DatasetError.isInstance(error)) {
      io.err(`tokenomics: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** The usage text of a command line's command (and benchmark), or undefined for an unknown one. */
function commandHelp(command: string | undefined, target: string | undefined): string | undefined {
  if (command === 'demo') return demoHelp;
  if (command === 'convert') return convertHelp;
  if (command === 'report') return reportHelp;
  if (command === 'playground') return playgroundHelp;
  if (command === 'train') return trainHelp;
  if (command !== 'bench') return undefined;
  const benchHelp: Record<string, string> = {
    cache: benchCacheHelp,
    compression: benchCompressionHelp,
    e2e: benchE2eHelp,
    routing: benchRoutingHelp,
    'routing-latency': benchRoutingLatencyHelp,
    stores: benchStoresHelp,
    'server-stores': benchServerStoresHelp,
  };
  return target === undefined ? undefined : benchHelp[target];
}
