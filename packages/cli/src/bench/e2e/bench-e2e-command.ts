import { join } from 'node:path';
import { type Embedder, HashingEmbedder, semanticText, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { formatTable, writeJsonFile } from '../../output';
import { machineInfo } from '../machine-info';
import { warmEmbedder } from '../warm-embedder';
import { type E2eReport, runE2eBench } from './e2e-bench';
import { buildE2eWorkload, WORKLOAD_SHARES } from './e2e-workload';
import { trainFamilyPriors } from './family-priors';
import type { RunReport } from './run-totals';
import { runSeedWorkloads, type SeedWorkloadReport, seedConclusion } from './seed-workloads';

const options = {
  dataDir: {
    type: 'string',
    description: 'The shared datasets folder',
    default: '../shared/datasets',
    valueName: 'dir',
  },
  limit: { type: 'number', description: 'Requests in the workload', default: 1000, min: 10 },
  seed: { type: 'number', description: 'Seed for sampling, order and the priors', default: 7 },
  strongShare: {
    type: 'number',
    description: 'Share of requests the router sends to the strong model',
    default: 0.5,
    min: 0,
    max: 1,
  },
  compressionRate: {
    type: 'number',
    description: 'Share of a long prompt’s tokens compression keeps',
    default: 0.5,
    min: 0.05,
    max: 1,
  },
  nearMatchSimilarity: {
    type: 'number',
    description: 'Similarity from which a rejected cache candidate becomes context',
    default: 0.8,
    min: 0,
    max: 1,
  },
  embedder: {
    type: 'string',
    description: 'use-lite (the default embedder) or hashing (fast, weak: for smoke tests)',
    default: 'use-lite',
    valueName: 'name',
  },
  embeddingCache: {
    type: 'string',
    description: 'Folder of cached embeddings',
    default: '.tokenomics/e2e-embeddings',
    valueName: 'dir',
  },
  workload: {
    type: 'string',
    description:
      "'replay' (recorded answers, the default) or 'seed': the Python project's two workload files, with OpenAI when OPENAI_API_KEY is set, else the offline stand-in",
    default: 'replay',
    valueName: 'name',
  },
  json: {
    type: 'string',
    description: "Also write the results as JSON to this file ('-': print JSON instead of the table)",
    valueName: 'file',
  },
} as const;

export const benchE2eHelp = `Usage: tokenomics bench e2e [--limit N] [--seed N] [--json FILE|-]

Replays a mixed workload through the AI SDK stack a user composes (wrapLanguageModel with
cacheMiddleware and compressionMiddleware around createRouterModel), with replay models that return
each real model's recorded answer and usage: routing requests with recorded answers (RouteLLM MMLU
and GSM8K, RouterBench ARC-Challenge and MBPP, LLMRouter), QQP question pairs from the test split
by question (a cache hit on a non-duplicate is a wrong answer), exact repeats, and NaturalQuestions
prompts of 20 documents. Runs: always the strong model, each stage alone, all stages, and all
stages with near-match context. The router's prior is trained here, leaving out the family of the
request it scores.

Options:
${formatOptions(options)}`;

export async function benchE2eCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed, help } = parseArguments(argv, options);
  if (help) {
    io.out(benchE2eHelp);
    return 0;
  }
  const seed = parsed.seed!;
  if (parsed.workload === 'seed') return seedWorkloadsCommand(argv, parsed, io);
  if (parsed.workload !== 'replay') throw new UsageError('--workload takes replay or seed');
  const workload = await buildE2eWorkload({ dataDir: parsed.dataDir!, size: parsed.limit!, seed });
  io.err(`workload: ${workload.requests.length} requests; training leave-one-family-out priors`);
  const priors = trainFamilyPriors(workload, seed);
  const embedder = await warmEmbedder(
    createEmbedder(parsed.embedder!),
    workload.requests.flatMap((request) => {
      // What the cache embeds: the question part of the last user turn.
      const text = semanticText({
        model: 'replay',
        messages: [
          ...(request.system
            ? [{ role: 'system' as const, content: [{ type: 'text' as const, text: request.system }] }]
            : []),
          { role: 'user', content: [{ type: 'text', text: request.user }] },
        ],
      });
      return text.ok ? [text.text.query] : [];
    }),
    'embedding prompts',
    { cacheFolder: parsed.embeddingCache! },
  );
  const report = await runE2eBench(workload, {
    embedder,
    priors,
    strongShare: parsed.strongShare!,
    compressionRate: parsed.compressionRate!,
    nearMatchSimilarity: parsed.nearMatchSimilarity!,
    onProgress: (done, total) => {
      if (done % 100 === 0 || done === total) io.err(`replayed ${done}/${total} requests through every run`);
    },
  });
  const notes = [
    ...workload.notes,
    `router prior: lexical networks trained here, each family scored by one trained without it (${Object.entries(
      priors.trainedOn,
    )
      .map(([family, on]) => `${family} ← ${on.join('+')}`)
      .join('; ')}); threshold set for ${parsed.strongShare} of requests to the strong tier`,
    'output tokens: counted from the recorded answer; MMLU and LLMRouter record none, so the shipped output-length model estimates them',
    'prices: GPT-4 $24.7 and Mixtral $0.24 per million tokens (RouteLLM blended); LLMRouter models at default_llm.json prices',
    'addedLatencyMsP50 / addedCpuMsP50: wall and process CPU time per request in the stack, outside the model calls (median); every request goes through all runs in turn, so load changes hit every run alike; prompt embeddings are computed before the runs and memoized, so embedding time is not in it',
    'near-match context: a duplicate question whose earlier answer was right counts right with the context on either tier; otherwise the recorded answer stands (the replay cannot measure a misleading context)',
  ];
  const output = {
    command: `tokenomics bench e2e ${argv.join(' ')}`.trim(),
    seed,
    shares: WORKLOAD_SHARES,
    machine: machineInfo(),
    ...report,
    notes,
  };
  if (parsed.json === '-') io.out(JSON.stringify(output, null, 2));
  else {
    io.out(formatReport(report));
    io.out(`\nNotes:\n${notes.map((note) => `  - ${note}`).join('\n')}`);
  }
  if (parsed.json && parsed.json !== '-') {
    await writeJsonFile(parsed.json, output);
    io.err(`wrote ${parsed.json}`);
  }
  return 0;
}

async function seedWorkloadsCommand(
  argv: readonly string[],
  parsed: { dataDir?: string | undefined; embedder?: string | undefined; json?: string | undefined },
  io: CommandIo,
): Promise<number> {
  const reports = await runSeedWorkloads({
    folder: join(parsed.dataDir!, 'workloads', 'tokenomics-seed'),
    embedder: createEmbedder(parsed.embedder!),
    apiKey: process.env.OPENAI_API_KEY,
  });
  const mode = reports[0]?.mode ?? 'offline-stand-in';
  const conclusion = seedConclusion(mode);
  const output = {
    command: `tokenomics bench e2e ${argv.join(' ')}`.trim(),
    machine: machineInfo(),
    mode,
    conclusion,
    workloads: reports,
  };
  if (parsed.json === '-') io.out(JSON.stringify(output, null, 2));
  else {
    io.out(formatSeedReports(reports));
    io.out(`\n${conclusion}`);
  }
  if (parsed.json && parsed.json !== '-') {
    await writeJsonFile(parsed.json, output);
    io.err(`wrote ${parsed.json}`);
  }
  return 0;
}

function formatSeedReports(reports: readonly SeedWorkloadReport[]): string {
  const label = reports[0]?.mode === 'openai' ? 'OpenAI' : '[offline stand-in]';
  const table = formatTable(reports, [
    { header: 'file', value: (report) => report.file },
    { header: 'n', value: (report) => report.n },
    { header: 'gpt-4o alone', value: (report) => `$${report.baseline.cost.toFixed(5)}`, align: 'right' },
    { header: 'all stages', value: (report) => `$${report.optimized.cost.toFixed(5)}`, align: 'right' },
    { header: 'of baseline', value: (report) => percent(report.optimized.costShare), align: 'right' },
    { header: 'cache hits', value: (report) => report.optimized.cacheHits },
    {
      header: 'mini/4o calls',
      value: (report) => `${report.optimized.weakCalls}/${report.optimized.strongCalls}`,
      align: 'right',
    },
    { header: 'compressed', value: (report) => report.optimized.compressedCalls },
  ]);
  return `${label} The Python project's workload files through the same stack (router: gpt-4o-mini / gpt-4o)\n\n${table}`;
}

function createEmbedder(name: string): Embedder {
  if (name === 'use-lite') return new UseLiteEmbedder();
  if (name === 'hashing') return new HashingEmbedder();
  throw new UsageError(`Unknown embedder "${name}"; use use-lite or hashing`);
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function formatReport(report: E2eReport): string {
  const rows: Array<Pick<RunReport, 'name' | 'quality' | 'cost' | 'costShare'> & Partial<RunReport>> = [
    { name: 'always strong', quality: report.baseline.quality, cost: report.baseline.cost, costShare: 1 },
    ...report.runs,
  ];
  const table = formatTable(rows, [
    { header: 'run', value: (row) => row.name },
    { header: 'quality', value: (row) => row.quality.toFixed(3), align: 'right' },
    { header: 'dollars', value: (row) => `$${row.cost.toFixed(4)}`, align: 'right' },
    { header: 'of strong', value: (row) => percent(row.costShare), align: 'right' },
    { header: 'hits', value: (row) => row.cacheHits ?? '', align: 'right' },
    { header: 'wrong hits', value: (row) => row.wrongCacheHits ?? '', align: 'right' },
    {
      header: 'saved: cache / compression / routing',
      value: (row) =>
        row.savingsByStage
          ? `${percent(row.savingsByStage.cache)} / ${percent(row.savingsByStage.compression)} / ${percent(row.savingsByStage.routing)}`
          : '',
      align: 'right',
    },
    {
      header: 'strong/weak calls',
      value: (row) => (row.strongCalls === undefined ? '' : `${row.strongCalls}/${row.weakCalls}`),
      align: 'right',
    },
    { header: 'added p50 ms', value: (row) => row.addedLatencyMsP50?.toFixed(2) ?? '', align: 'right' },
    { header: 'CPU p50 ms', value: (row) => row.addedCpuMsP50?.toFixed(2) ?? '', align: 'right' },
  ]);
  return `End-to-end replay of ${report.n} requests (quality: share answered right; dollars: every call charged)\n\n${table}`;
}
