/**
 * Runs the compressor and its baselines over the benchmark prompts: ratio, answer retention,
 * whole gold documents, whole demonstrations and time per method and rate. Each prompt is sent
 * as an application would: the instruction as the system prompt, the documents (or examples)
 * and the question in the user message, compressed with the default options.
 */
import {
  compressRequest,
  type Embedder,
  loadTokenCounter,
  type RequestCompressionOptions,
  type TokenomicsRequest,
} from '@tokenomics/core';
import { createProgressBar } from '../../output';
import type { BenchPrompt, FewShotPrompt, NqPrompt } from './compression-datasets';
import { retainsAnswer } from './compression-datasets';
import { type DocumentBaseline, keepDocuments } from './document-baselines';

/**
 * 'select' is the method with its defaults; 'select+embed' adds USE-lite embeddings;
 * 'select-json' ranks JSON entries. 'truncate', 'bm25-topk' and 'coarse-ql' are the
 * whole-document baselines (see document-baselines.ts).
 */
export type BenchMethod = 'lossless' | 'select' | 'select+embed' | 'select-json' | DocumentBaseline;

const BASELINES = new Set<BenchMethod>(['truncate', 'bm25-topk', 'coarse-ql']);

export type NqRow = {
  method: BenchMethod;
  docs: number;
  rate: number | null;
  ratio: number;
  retention: number;
  /** Share of prompts whose gold document is still there byte for byte. */
  goldKeptWhole: number;
  /** Retention by where the gold passage was: first, middle or last third of the documents. */
  retentionByPosition: { first: number; middle: number; last: number };
  cpuMsPer1kTokens: number;
  prompts: number;
};
export type KvRow = {
  method: BenchMethod;
  rate: number | null;
  ratio: number;
  retention: number;
  prompts: number;
};
export type FewShotRow = {
  source: 'gsm8k' | 'bbh';
  method: BenchMethod;
  rate: number | null;
  ratio: number;
  /** Examples present in the output, and the share of those that are whole. */
  examplesKept: number;
  examplesKeptWhole: number;
  /** Prompts with a partial example or a question that is not intact. */
  promptsDamaged: number;
  prompts: number;
};

export type Timing = Map<BenchMethod, { ms: number; cpuMs: number; tokens: number }>;

type Outcome = {
  tokensBefore: number;
  tokensAfter: number;
  /** The user message after compression. */
  user: string;
  durationMs: number;
  /** CPU time of the call: unlike wall time, not inflated when other processes share the cores. */
  cpuMs: number;
};

export async function compressPrompt(
  prompt: BenchPrompt,
  method: BenchMethod,
  rate: number | null,
  options: { embedder?: Embedder; lastUserMessage?: 'auto' | 'question' } = {},
): Promise<Outcome> {
  const cpu = process.cpuUsage();
  const outcome = await compressPromptOnce(prompt, method, rate, options);
  const used = process.cpuUsage(cpu);
  return { ...outcome, cpuMs: (used.user + used.system) / 1000 };
}

async function compressPromptOnce(
  prompt: BenchPrompt,
  method: BenchMethod,
  rate: number | null,
  options: { embedder?: Embedder; lastUserMessage?: 'auto' | 'question' },
): Promise<Omit<Outcome, 'cpuMs'>> {
  if (BASELINES.has(method)) return documentBaseline(prompt, method as DocumentBaseline, rate ?? 1);
  const request: TokenomicsRequest = {
    model: 'openai:gpt-3.5-turbo',
    messages: [
      { role: 'system', content: [{ type: 'text', text: prompt.instruction }] },
      { role: 'user', content: [{ type: 'text', text: `${prompt.context}\n\n${prompt.question}` }] },
    ],
  };
  const compression: RequestCompressionOptions = { minTokens: 0 };
  if (options.lastUserMessage) compression.lastUserMessage = options.lastUserMessage;
  if (method !== 'lossless' && rate !== null) compression.rate = rate;
  if (method === 'select+embed' && options.embedder) compression.embedder = options.embedder;
  if (method === 'select-json') compression.json = 'select-entries';
  const result = await compressRequest(request, compression);
  return {
    tokensBefore: result.tokensBefore,
    tokensAfter: result.tokensAfter,
    user: (result.request.messages[1]!.content[0] as { text: string }).text,
    durationMs: result.durationMs,
  };
}

/** The baselines keep whole documents (lines; examples for few-shot prompts) to the same budget. */
async function documentBaseline(
  prompt: BenchPrompt,
  method: DocumentBaseline,
  rate: number,
): Promise<Omit<Outcome, 'cpuMs'>> {
  const started = performance.now();
  const count = await loadTokenCounter();
  const documents = 'examples' in prompt ? (prompt as FewShotPrompt).examples : prompt.context.split('\n');
  const joiner = 'examples' in prompt ? '\n\n' : '\n';
  const fixed = count(prompt.instruction) + count(`\n\n${prompt.question}`);
  const before = count(prompt.instruction) + count(`${prompt.context}\n\n${prompt.question}`);
  const budget = Math.floor(before * rate) - fixed;
  const kept = keepDocuments(documents, prompt.question, method, budget, count);
  const context = kept.map((index) => documents[index]).join(joiner);
  const user = `${context}\n\n${prompt.question}`;
  const after = count(prompt.instruction) + count(user);
  return { tokensBefore: before, tokensAfter: after, user, durationMs: performance.now() - started };
}

/** The compressed context: the user message without its protected question. */
function contextOf(outcome: Outcome, prompt: BenchPrompt): string {
  return outcome.user.endsWith(prompt.question)
    ? outcome.user.slice(0, outcome.user.length - prompt.question.length)
    : outcome.user;
}

export async function runNq(
  prompts: readonly NqPrompt[],
  methods: readonly BenchMethod[],
  rates: readonly number[],
  timing: Timing,
  embedder?: Embedder,
): Promise<NqRow[]> {
  const rows: NqRow[] = [];
  const settings = methods.reduce((sum, method) => sum + (method === 'lossless' ? 1 : rates.length), 0);
  const progress = createProgressBar(
    `compression, NQ ${prompts[0]?.docs ?? 0} docs`,
    settings * prompts.length,
  );
  for (const method of methods) {
    for (const rate of method === 'lossless' ? [null] : rates) {
      const own: Timing = new Map();
      let before = 0;
      let after = 0;
      let whole = 0;
      const hits = { first: [0, 0], middle: [0, 0], last: [0, 0] };
      for (const prompt of prompts) {
        const outcome = await compressPrompt(prompt, method, rate, embedder ? { embedder } : {});
        record(timing, method, outcome);
        record(own, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        const third =
          prompt.goldPosition < prompt.docs / 3
            ? 'first'
            : prompt.goldPosition < (2 * prompt.docs) / 3
              ? 'middle'
              : 'last';
        hits[third][1]! += 1;
        const context = contextOf(outcome, prompt);
        if (retainsAnswer(context, prompt.answers)) hits[third][0]! += 1;
        if (context.includes(prompt.goldDocument)) whole += 1;
        progress.tick();
      }
      const retained = hits.first[0]! + hits.middle[0]! + hits.last[0]!;
      rows.push({
        method,
        docs: prompts[0]?.docs ?? 0,
        rate,
        ratio: round(before / after),
        retention: round(retained / prompts.length),
        goldKeptWhole: round(whole / prompts.length),
        retentionByPosition: {
          first: round(hits.first[0]! / Math.max(1, hits.first[1]!)),
          middle: round(hits.middle[0]! / Math.max(1, hits.middle[1]!)),
          last: round(hits.last[0]! / Math.max(1, hits.last[1]!)),
        },
        cpuMsPer1kTokens: msPer1kTokens(own, 'cpu')[method] ?? 0,
        prompts: prompts.length,
      });
    }
  }
  progress.done();
  return rows;
}

export async function runKv(
  prompts: readonly BenchPrompt[],
  methods: readonly BenchMethod[],
  rates: readonly number[],
  timing: Timing,
): Promise<KvRow[]> {
  const rows: KvRow[] = [];
  for (const method of methods) {
    for (const rate of method === 'lossless' ? [null] : rates) {
      let before = 0;
      let after = 0;
      let retained = 0;
      for (const prompt of prompts) {
        // The key-value prompt has no document markers: its last paragraph is the question.
        const outcome = await compressPrompt(prompt, method, rate, { lastUserMessage: 'question' });
        record(timing, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        if (contextOf(outcome, prompt).includes(prompt.answers[0]!)) retained += 1;
      }
      rows.push({
        method,
        rate,
        ratio: round(before / after),
        retention: round(retained / prompts.length),
        prompts: prompts.length,
      });
    }
  }
  return rows;
}

/** Few-shot prompts: how many examples survive, whether they are whole, whether the question is. */
export async function runFewShot(
  prompts: readonly FewShotPrompt[],
  methods: readonly BenchMethod[],
  rates: readonly number[],
  timing: Timing,
): Promise<FewShotRow[]> {
  const rows: FewShotRow[] = [];
  for (const method of methods) {
    for (const rate of method === 'lossless' ? [null] : rates) {
      let before = 0;
      let after = 0;
      let total = 0;
      let present = 0;
      let whole = 0;
      let damaged = 0;
      for (const prompt of prompts) {
        const outcome = await compressPrompt(prompt, method, rate);
        record(timing, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        const check = checkExamples(outcome.user, prompt);
        total += prompt.examples.length;
        present += check.present;
        whole += check.whole;
        if (check.damaged) damaged += 1;
      }
      rows.push({
        source: prompts[0]?.source ?? 'bbh',
        method,
        rate,
        ratio: round(before / after),
        examplesKept: round(present / Math.max(1, total)),
        examplesKeptWhole: round(present > 0 ? whole / present : 1),
        promptsDamaged: damaged,
        prompts: prompts.length,
      });
    }
  }
  return rows;
}

/**
 * An example is present when a line only it has (no other example, not the question) is a line
 * of the compressed context, whole when all of it appears as written. The prompt is damaged when
 * an example is present but not whole, or the question does not end the message byte for byte.
 */
export function checkExamples(
  output: string,
  prompt: Pick<FewShotPrompt, 'examples' | 'question'>,
): { present: number; whole: number; damaged: boolean } {
  const questionIntact = output.endsWith(prompt.question);
  const context = questionIntact ? output.slice(0, output.length - prompt.question.length) : output;
  const contextLines = new Set(context.split('\n'));
  const counts = new Map<string, number>();
  for (const text of [...prompt.examples, prompt.question]) {
    for (const line of new Set(text.split('\n'))) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  let present = 0;
  let whole = 0;
  for (const example of prompt.examples) {
    const own = example.split('\n').filter((line) => line.trim().length > 0 && counts.get(line) === 1);
    const isWhole = context.includes(example);
    if (isWhole || own.some((line) => contextLines.has(line))) present += 1;
    if (isWhole) whole += 1;
  }
  return { present, whole, damaged: present !== whole || !questionIntact };
}

export function record(timing: Timing, method: BenchMethod, outcome: Outcome): void {
  const entry = timing.get(method) ?? { ms: 0, cpuMs: 0, tokens: 0 };
  entry.ms += outcome.durationMs;
  entry.cpuMs += outcome.cpuMs;
  entry.tokens += outcome.tokensBefore;
  timing.set(method, entry);
}

/** Milliseconds per 1,000 input tokens, wall clock or CPU time. */
export function msPer1kTokens(timing: Timing, clock: 'wall' | 'cpu' = 'wall'): Record<string, number> {
  return Object.fromEntries(
    Array.from(timing, ([method, { ms, cpuMs, tokens }]) => [
      method,
      Math.round(((clock === 'cpu' ? cpuMs : ms) / Math.max(1, tokens)) * 1000 * 100) / 100,
    ]),
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
