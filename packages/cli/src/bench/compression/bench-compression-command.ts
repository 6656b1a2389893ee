import { writeFileSync } from 'node:fs';
import { type Embedder, loadTokenCounter, UseLiteEmbedder } from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { formatTable, writeJsonFile } from '../../output';
import { machineInfo } from '../machine-info';
import {
  type BenchMethod,
  type FewShotRow,
  type KvRow,
  msPer1kTokens,
  type NqRow,
  runFewShot,
  runKv,
  runNq,
  type Timing,
} from './compression-bench';
import { bbhPrompts, gsm8kPrompts, kvPrompts, nqPrompts } from './compression-datasets';
import { runSpeed, type SpeedRow } from './compression-speed';

const options = {
  data: {
    type: 'string',
    description: 'The shared compression datasets folder',
    default: '../shared/datasets/compression',
    valueName: 'dir',
  },
  docs: { type: 'number-list', description: 'Documents per NQ prompt', default: [10, 20], valueName: 'n,n' },
  rates: {
    type: 'number-list',
    description: 'Target rates (kept share of the prompt tokens)',
    default: [0.5, 1 / 3, 0.2],
    valueName: 'r,r',
  },
  limit: { type: 'number', description: 'NQ prompts per document count', default: 500, min: 1 },
  offset: {
    type: 'number',
    description: 'First NQ row (the headline uses rows 0-499; tuning used 1000-1499)',
    default: 0,
    min: 0,
  },
  kvLimit: { type: 'number', description: 'Key-value prompts', default: 200, min: 1 },
  bbhLimit: { type: 'number', description: 'BIG-Bench-Hard tasks', default: 27, min: 1 },
  gsm8kLimit: { type: 'number', description: 'GSM8K 8-shot prompts', default: 100, min: 1 },
  speedRequests: {
    type: 'number',
    description: 'Requests per speed workload (20k-token prompt, 1,600-message chat); 0 skips',
    default: 5,
    min: 0,
  },
  distractors: {
    type: 'string',
    description:
      "NQ distractors: 'similar' (near-misses: passages sharing the question's words) or 'other' (other rows' passages, mostly off-topic)",
    default: 'similar',
    valueName: 'kind',
  },
  embed: {
    type: 'boolean',
    description: 'Also run select+embed (BM25 + USE-lite embeddings; slower) on NQ',
  },
  json: { type: 'string', description: 'Also write all results as JSON to this file', valueName: 'file' },
  markdown: {
    type: 'string',
    description: 'Also write the tables as Markdown to this file',
    valueName: 'file',
  },
} as const;

export const benchCompressionHelp = `Usage: tokenomics bench compression [--data DIR] [--docs N,N] [--rates R,R] [--json FILE]

Measures prompt compression on public data, its baselines side by side in one run:
NaturalQuestions multi-document prompts with near-miss distractors (answer retention, gold
document kept whole, ratio, CPU time) for the method and three whole-document baselines
(truncate, bm25-topk, coarse-ql: LongLLMLingua-style question-likelihood ranking); key-value
retrieval over UUIDs; GSM8K 8-shot and BIG-Bench-Hard chain-of-thought few-shot prompts
(examples kept whole, prompts damaged); and CPU time per 1,000 tokens on a 20,000-token prompt
and on 1,600-message chats.

Options:
${formatOptions(options)}`;

export type BenchCompressionResults = {
  /** How NQ distractors were chosen. */
  distractors: 'other' | 'similar';
  /** First NQ row used. */
  offset: number;
  nq: NqRow[];
  kv: KvRow[];
  fewShot: FewShotRow[];
  speed: SpeedRow[];
  /** CPU time per 1,000 tokens on the NQ prompts, per method. */
  cpuMsPer1kTokens: Record<string, number>;
  targets: Array<{ target: string; value: number; unit: 'share' | 'ms' | 'count'; pass: boolean }>;
  machine: ReturnType<typeof machineInfo>;
  command: string;
  startedAt: string;
};

const NQ_METHODS: BenchMethod[] = ['lossless', 'select', 'bm25-topk', 'coarse-ql', 'truncate'];

export async function benchCompressionCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(benchCompressionHelp);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`Unexpected argument ${parsed.positionals[0]}`);
  const settings = parsed.options;
  const data = settings.data ?? '../shared/datasets/compression';
  const rates = settings.rates ?? [0.5, 1 / 3, 0.2];
  const distractors = settings.distractors ?? 'similar';
  if (distractors !== 'other' && distractors !== 'similar') {
    throw new UsageError("--distractors must be 'similar' or 'other'");
  }
  if (rates.some((rate) => !(rate > 0 && rate <= 1))) throw new UsageError('--rates must be in (0, 1]');
  const startedAt = new Date().toISOString();
  await loadTokenCounter();

  const timing: Timing = new Map();
  let embedder: Embedder | undefined;
  if (settings.embed) {
    embedder = new UseLiteEmbedder();
    await embedder.embed(['warm up']);
  }
  const nq: NqRow[] = [];
  const offset = settings.offset ?? 0;
  for (const docs of settings.docs ?? [10, 20]) {
    const prompts = nqPrompts(data, { docs, limit: settings.limit ?? 500, offset, distractors });
    const methods = embedder ? [...NQ_METHODS, 'select+embed' as const] : NQ_METHODS;
    io.err(`NQ: ${prompts.length} prompts of ${docs} documents (${distractors} distractors)`);
    nq.push(...(await runNq(prompts, methods, rates, timing, embedder)));
  }
  io.err('key-value retrieval');
  const kvTiming: Timing = new Map();
  const kv = await runKv(
    kvPrompts(data, { limit: settings.kvLimit ?? 200 }),
    ['lossless', 'select', 'select-json'],
    rates,
    kvTiming,
  );
  io.err('few-shot: GSM8K 8-shot and BIG-Bench-Hard');
  const fewShotTiming: Timing = new Map();
  const fewShotMethods: BenchMethod[] = ['lossless', 'select', 'bm25-topk', 'truncate'];
  const fewShot = [
    ...(await runFewShot(
      gsm8kPrompts(data, { limit: settings.gsm8kLimit ?? 100 }),
      fewShotMethods,
      rates,
      fewShotTiming,
    )),
    ...(await runFewShot(
      bbhPrompts(data, { limit: settings.bbhLimit ?? 27 }),
      fewShotMethods,
      rates,
      fewShotTiming,
    )),
  ];
  const speedRequests = settings.speedRequests ?? 5;
  io.err(speedRequests > 0 ? 'speed: 20k-token prompts and 1,600-message chats' : 'speed: skipped');
  const speed = speedRequests > 0 ? await runSpeed(data, { requests: speedRequests }) : [];

  const results: BenchCompressionResults = {
    distractors,
    offset,
    nq,
    kv,
    fewShot,
    speed,
    cpuMsPer1kTokens: msPer1kTokens(timing, 'cpu'),
    targets: targets(nq, fewShot, speed, distractors),
    machine: machineInfo(),
    command: `tokenomics bench compression ${argv.join(' ')}`.trim(),
    startedAt,
  };
  const markdown = renderMarkdown(results);
  io.out(markdown);
  if (settings.json) await writeJsonFile(settings.json, results);
  if (settings.markdown) writeFileSync(settings.markdown, `${markdown}\n`);
  return 0;
}

function targets(
  nq: NqRow[],
  fewShot: FewShotRow[],
  speed: SpeedRow[],
  distractors: string,
): BenchCompressionResults['targets'] {
  const row = (method: BenchMethod, rate: number) =>
    nq.find(
      (candidate) =>
        candidate.method === method &&
        candidate.docs === 20 &&
        candidate.rate !== null &&
        Math.abs(candidate.rate - rate) < 1e-6,
    );
  const out: BenchCompressionResults['targets'] = [];
  for (const [rate, label, goal] of [
    [1 / 3, '3x', 0.97],
    [0.2, '5x', 0.93],
  ] as const) {
    const select = row('select', rate);
    const bm25 = row('bm25-topk', rate);
    if (!select) continue;
    out.push({
      target: `NQ-20 ${distractors} at ${label}: retention >= ${goal * 100}% (ratio ${select.ratio.toFixed(2)}x)`,
      value: select.retention,
      unit: 'share',
      pass: select.retention >= goal && select.ratio >= (1 / rate) * 0.97,
    });
    if (bm25) {
      out.push({
        target: `NQ-20 ${distractors} at ${label}: ahead of whole-document BM25 (${(bm25.retention * 100).toFixed(1)}% at ${bm25.ratio.toFixed(2)}x)`,
        value: select.retention - bm25.retention,
        unit: 'share',
        pass: select.retention > bm25.retention && select.ratio >= bm25.ratio * 0.97,
      });
    }
  }
  const damaged = fewShot
    .filter((candidate) => candidate.method === 'select' || candidate.method === 'lossless')
    .reduce((sum, candidate) => sum + candidate.promptsDamaged, 0);
  out.push({
    target: 'few-shot prompts damaged (select, lossless): 0',
    value: damaged,
    unit: 'count',
    pass: damaged === 0,
  });
  for (const workload of speed) {
    out.push({
      target: `${workload.workload} (${workload.tokens} tokens, ${workload.messages} messages): <= 3 ms CPU per 1,000 tokens`,
      value: workload.cpuMsPer1kTokens,
      unit: 'ms',
      pass: workload.cpuMsPer1kTokens <= 3,
    });
  }
  return out;
}

function rateLabel(rate: number | null): string {
  return rate === null ? '-' : `${Math.round(100 * rate)}% (${(1 / rate).toFixed(1)}x)`;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export function renderMarkdown(results: BenchCompressionResults): string {
  const table = <Row>(rows: Row[], columns: Parameters<typeof formatTable<Row>>[1]) =>
    formatTable(rows, columns);
  return [
    `### NaturalQuestions multi-document prompts (${results.distractors} distractors)`,
    '',
    table(results.nq, [
      { header: 'method', value: (row) => row.method },
      { header: 'docs', value: (row) => row.docs },
      { header: 'target rate', value: (row) => rateLabel(row.rate) },
      { header: 'ratio', value: (row) => `${row.ratio.toFixed(2)}x`, align: 'right' },
      { header: 'retention', value: (row) => percent(row.retention), align: 'right' },
      { header: 'gold doc whole', value: (row) => percent(row.goldKeptWhole), align: 'right' },
      {
        header: 'gold first/mid/last',
        value: (row) => Object.values(row.retentionByPosition).map(percent).join(' / '),
      },
      { header: 'CPU ms/1k tok', value: (row) => row.cpuMsPer1kTokens.toFixed(2), align: 'right' },
      { header: 'prompts', value: (row) => row.prompts },
    ]),
    '',
    '### Key-value retrieval (75 UUID pairs)',
    '',
    table(results.kv, [
      { header: 'method', value: (row) => row.method },
      { header: 'target rate', value: (row) => rateLabel(row.rate) },
      { header: 'ratio', value: (row) => `${row.ratio.toFixed(2)}x`, align: 'right' },
      { header: 'retention', value: (row) => percent(row.retention), align: 'right' },
      { header: 'prompts', value: (row) => row.prompts },
    ]),
    '',
    '### Few-shot prompts: GSM8K 8-shot and BIG-Bench-Hard chain-of-thought',
    '',
    table(results.fewShot, [
      { header: 'data', value: (row) => row.source },
      { header: 'method', value: (row) => row.method },
      { header: 'target rate', value: (row) => rateLabel(row.rate) },
      { header: 'ratio', value: (row) => `${row.ratio.toFixed(2)}x`, align: 'right' },
      { header: 'examples kept', value: (row) => percent(row.examplesKept), align: 'right' },
      { header: 'kept whole', value: (row) => percent(row.examplesKeptWhole), align: 'right' },
      { header: 'prompts damaged', value: (row) => row.promptsDamaged, align: 'right' },
      { header: 'prompts', value: (row) => row.prompts },
    ]),
    '',
    '### Compressor time at scale (select, default options)',
    '',
    table(results.speed, [
      { header: 'workload', value: (row) => row.workload },
      { header: 'tokens', value: (row) => row.tokens, align: 'right' },
      { header: 'messages', value: (row) => row.messages, align: 'right' },
      { header: 'ratio', value: (row) => `${row.ratio.toFixed(2)}x`, align: 'right' },
      { header: 'CPU ms/1k tok', value: (row) => row.cpuMsPer1kTokens.toFixed(2), align: 'right' },
      { header: 'wall ms/1k tok', value: (row) => row.wallMsPer1kTokens.toFixed(2), align: 'right' },
      { header: 'requests', value: (row) => row.requests },
    ]),
    '',
    '### Targets',
    '',
    table(results.targets, [
      { header: 'target', value: (row) => row.target },
      {
        header: 'value',
        value: (row) =>
          row.unit === 'share'
            ? percent(row.value)
            : row.unit === 'ms'
              ? `${row.value.toFixed(2)} ms`
              : String(row.value),
        align: 'right',
      },
      { header: 'result', value: (row) => (row.pass ? 'PASS' : 'MISS') },
    ]),
  ].join('\n');
}
