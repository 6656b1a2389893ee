import { basename } from 'node:path';
import { type Embedder, HashingEmbedder, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../args';
import {
  contextualTable,
  gptCacheSharedTable,
  kindTable,
  latencyTables,
  onlineTable,
  pairsTable,
  sweepTable,
  targetsTable,
} from '../bench/bench-report';
import { type ContextualBenchResult, runContextualBench } from '../bench/contextual-bench';
import { type GptCacheSharedResult, runGptCacheSharedBench } from '../bench/gptcache-shared-bench';
import { type LatencyBenchResult, runLatencyBench } from '../bench/latency-bench';
import { machineInfo } from '../bench/machine-info';
import { type OnlineVerifyResult, runOnlineVerifyBench } from '../bench/online-verify-bench';
import { type PairsBenchResult, runPairsBench } from '../bench/pairs-bench';
import { checkTargets } from '../bench/targets';
import {
  convertGptCachePairs,
  type QuestionSplit,
  readConversations,
  readGptCacheFile,
  readLabelledPairs,
  splitByQuestion,
} from '../datasets';
import { sweepThresholds } from '../metrics';
import { writeJsonFile } from '../output';
import type { CommandIo } from './command-io';

const options = {
  pairs: {
    type: 'string',
    description: 'Labelled pairs JSONL {"a","b","label"}; several files separated by commas',
    valueName: 'file',
  },
  split: {
    type: 'string',
    description:
      'Use one part of each --pairs file, split by question text (train, validation or test; seed 7, 60/20/20: the shipped verifier never saw the test part of the shared QQP pairs)',
    valueName: 'part',
  },
  gptcache: {
    type: 'string',
    description: "GPTCache's {origin, similar} file, converted on the fly with should-miss pairs added",
    valueName: 'file',
  },
  contextual: {
    type: 'string',
    description: 'MeanCache conversation files (comma-separated)',
    valueName: 'file',
  },
  latency: {
    type: 'boolean',
    description: 'Exact-hit latency vs LangChain InMemoryCache, semantic lookup at --sizes, embedding time',
  },
  sizes: {
    type: 'number-list',
    description: 'Index sizes for semantic lookup latency',
    default: [10_000, 100_000, 1_000_000],
    valueName: 'n,n',
  },
  queries: { type: 'number', description: 'Timed semantic lookups per size', default: 1000, min: 1 },
  buildExpansion: {
    type: 'number',
    description:
      'HNSW efConstruction when building the --sizes indexes (default: the core default; lower builds faster)',
    min: 1,
  },
  skipExact: {
    type: 'boolean',
    description: 'With --latency: only the semantic sizes (no exact-hit or embedding timing)',
  },
  embedder: {
    type: 'string',
    description: 'use-lite (offline USE-lite, the default embedder) or hashing (fast, weak)',
    default: 'use-lite',
    valueName: 'name',
  },
  onlineVerify: {
    type: 'boolean',
    description:
      'Also replay the --pairs files as a stream through a cache with --max-error-rate (label = whether the answers agree)',
  },
  maxErrorRate: {
    type: 'number',
    description: 'Target error rate of served semantic hits for --online-verify',
    default: 0.02,
    min: 0.0001,
    max: 0.5,
  },
  embeddingCache: {
    type: 'string',
    description:
      "Keep the pairs' vectors in this folder between runs (scripts/train-verifier.ts uses .tokenomics/cache-pairs/embeddings)",
    valueName: 'folder',
  },
  noVerifier: {
    type: 'boolean',
    description: 'Run the pairs without the learned verifier (guards and threshold only)',
  },
  sweepFrom: { type: 'number', description: 'First threshold of the sweep', default: 0.7 },
  sweepTo: { type: 'number', description: 'Last threshold of the sweep', default: 0.98 },
  sweepStep: { type: 'number', description: 'Threshold step of the sweep', default: 0.02 },
  limit: { type: 'number', description: 'Use only the first N pairs / conversations of each file', min: 1 },
  json: { type: 'string', description: 'Also write all results as JSON to this file', valueName: 'file' },
} as const;

export const benchCacheHelp = `Usage: tokenomics bench cache [--pairs FILE] [--gptcache FILE] [--contextual FILE] [--latency] [options]

Measures the cache: quality on labelled question pairs (store a, ask b; precision, recall,
wrong hits at the default settings and over a threshold sweep), contextual safety on MeanCache
conversations (follow-ups under another conversation must miss), and latency. Prints tables
and PASS/MISS against the targets; --json writes everything.

Options:
${formatOptions(options)}`;

export type BenchCacheResults = {
  /** The first pairs file's default-settings scores and sweep (the other files are under `pairs`). */
  default?: PairsBenchResult['default'];
  sweep?: PairsBenchResult['sweep'];
  pairsFile?: string;
  pairs?: PairsBenchResult[];
  /** `--online-verify` on the first pairs file. */
  online?: OnlineVerifyResult & { file: string };
  gptcacheShared?: GptCacheSharedResult & { file: string };
  contextual?: ContextualBenchResult[];
  latency?: LatencyBenchResult;
  targets: ReturnType<typeof checkTargets>;
  machine: ReturnType<typeof machineInfo>;
  command: string;
  startedAt: string;
  seconds: number;
};

export async function benchCacheCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(benchCacheHelp);
    return 0;
  }
  const settings = parsed.options;
  if (parsed.positionals.length > 0)
    throw new UsageError(`Unexpected arguments: ${parsed.positionals.join(' ')}`);
  if (!settings.pairs && !settings.gptcache && !settings.contextual && !settings.latency) {
    throw new UsageError('Nothing to measure: give --pairs, --gptcache, --contextual and/or --latency');
  }
  const embedder = createEmbedder(settings.embedder ?? 'use-lite');
  const thresholds = sweepThresholds(settings.sweepFrom, settings.sweepTo, settings.sweepStep);
  const startedAt = new Date();
  const results: Omit<BenchCacheResults, 'targets' | 'seconds'> = {
    machine: machineInfo(),
    command: ['tokenomics', 'bench', 'cache', ...argv].join(' '),
    startedAt: startedAt.toISOString(),
  };
  const limit = <Item>(items: Item[]) => (settings.limit ? items.slice(0, settings.limit) : items);
  const verifier = settings.noVerifier ? (false as const) : undefined;

  const pairSources: Array<{
    file: string;
    load: () => Promise<Awaited<ReturnType<typeof readLabelledPairs>>>;
  }> = [];
  const split = settings.split;
  if (split !== undefined && !['train', 'validation', 'test'].includes(split))
    throw new UsageError(`--split takes train, validation or test, not "${split}"`);
  for (const file of splitList(settings.pairs)) {
    pairSources.push({
      file: split ? `${file} (${split} split by question)` : file,
      load: async () => {
        const pairs = await readLabelledPairs(file);
        return split ? splitByQuestion(pairs)[split as QuestionSplit] : pairs;
      },
    });
  }
  if (settings.gptcache) {
    const file = settings.gptcache;
    const records = limit(await readGptCacheFile(file));
    io.err(`gptcache, one shared cache: ${file} (${records.length} records)`);
    results.gptcacheShared = { file, ...(await runGptCacheSharedBench(records, { embedder })) };
    io.out(`GPTCache's method (all origins in one cache, ask every similar): ${file}`);
    io.out(gptCacheSharedTable(results.gptcacheShared));
    io.out('');
    pairSources.push({
      file: `${file} (converted, with negatives)`,
      load: async () => convertGptCachePairs(await readGptCacheFile(file), { negatives: true }),
    });
  }
  if (pairSources.length > 0) {
    results.pairs = [];
    for (const source of pairSources) {
      const pairs = limit(await source.load());
      io.err(`pairs: ${source.file} (${pairs.length} pairs, embedder ${embedder.id})`);
      const result = await runPairsBench(pairs, {
        embedder,
        thresholds,
        verifier,
        label: basename(source.file),
        embeddingCache: settings.embeddingCache,
      });
      results.pairs.push({ ...result, file: source.file });
    }
    const [first] = results.pairs;
    results.default = first!.default;
    results.sweep = first!.sweep;
    results.pairsFile = first!.file;
    io.out(
      `Pairs at default settings (threshold ${first!.default.threshold}, guards on, verifier ${verifier === false ? 'off' : 'default'}):`,
    );
    io.out(pairsTable(results.pairs));
    for (const result of results.pairs) {
      io.out(`\nThreshold sweep: ${result.file}\n${sweepTable(result)}`);
      const kinds = kindTable(result);
      if (kinds) io.out(`\nBy pair kind at default settings: ${result.file}\n${kinds}`);
    }
    io.out('');
    if (settings.onlineVerify) {
      const source = pairSources[0]!;
      const pairs = limit(await source.load());
      io.err(
        `online verification: ${source.file} (${pairs.length} pairs, maxErrorRate ${settings.maxErrorRate})`,
      );
      const online = await runOnlineVerifyBench(pairs, {
        embedder,
        maxErrorRate: settings.maxErrorRate ?? 0.02,
        verifier,
        label: basename(source.file),
        embeddingCache: settings.embeddingCache,
      });
      results.online = { ...online, file: source.file };
      io.out(`Online verification (maxErrorRate ${online.targetErrorRate}): ${source.file}`);
      io.out(onlineTable(online));
      io.out('');
    }
  } else if (settings.onlineVerify) {
    throw new UsageError('--online-verify replays a labelled pairs file: give --pairs');
  }

  if (settings.contextual) {
    results.contextual = [];
    for (const file of splitList(settings.contextual)) {
      const conversations = limit(await readConversations(file));
      io.err(`contextual: ${file} (${conversations.length} conversations)`);
      const result = await runContextualBench(conversations, { embedder, label: basename(file) });
      results.contextual.push({ ...result, file });
    }
    io.out('Contextual safety (MeanCache conversations):');
    io.out(contextualTable(results.contextual));
    io.out('');
  }

  if (settings.latency) {
    io.err(`latency: exact hits, embedding, semantic lookup at ${settings.sizes!.join(', ')} entries`);
    results.latency = await runLatencyBench({
      embedder,
      sizes: settings.sizes ?? [],
      queries: settings.queries,
      expansionAdd: settings.buildExpansion,
      skipExact: settings.skipExact,
      onSize: (row) =>
        io.err(`  ${row.entries} entries: p50 ${row.p50Ms.toFixed(3)} ms, RSS ${row.rssMb} MB`),
    });
    io.out('Latency:');
    io.out(latencyTables(results.latency));
    io.out('');
  }

  const targets = checkTargets(results);
  io.out('Targets:');
  io.out(targetsTable(targets));
  const final: BenchCacheResults = {
    ...results,
    targets,
    seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
  };
  if (settings.json) {
    await writeJsonFile(settings.json, final);
    io.err(`wrote ${settings.json}`);
  }
  return 0;
}

function createEmbedder(name: string): Embedder {
  if (name === 'use-lite') return new UseLiteEmbedder();
  if (name === 'hashing') return new HashingEmbedder();
  throw new UsageError(`Unknown embedder "${name}"; use use-lite or hashing`);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
