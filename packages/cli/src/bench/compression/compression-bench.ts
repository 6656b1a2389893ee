/**
 * Runs the compressor over the benchmark prompts: ratio, answer retention and time per method
 * and rate. Each prompt is sent as an application would: the instruction as the system prompt,
 * the documents and the question in the user message, with the question protected.
 */
import {
  compressRequest,
  type Embedder,
  loadTokenCounter,
  type RequestCompressionOptions,
  type TokenomicsRequest,
} from '@tokenomics/core';
import { answerLines, type BenchPrompt, type NqPrompt, retainsAnswer } from './compression-datasets';

/**
 * 'truncate' is the baseline: documents kept in their order until the budget is spent.
 * 'select-json' is selection with `json: 'select-entries'` (JSON entries ranked like sentences).
 */
export type BenchMethod = 'lossless' | 'select' | 'select+embed' | 'select-json' | 'truncate';

export type NqRow = {
  method: BenchMethod;
  docs: number;
  rate: number | null;
  ratio: number;
  retention: number;
  /** Retention by where the gold passage was: first, middle or last third of the documents. */
  retentionByPosition: { first: number; middle: number; last: number };
  prompts: number;
};
export type KvRow = {
  method: BenchMethod;
  rate: number | null;
  ratio: number;
  retention: number;
  prompts: number;
};
export type BbhRow = {
  method: BenchMethod;
  rate: number | null;
  ratio: number;
  /** Share of the examples' "So the answer is" lines still present. */
  answerLinesKept: number;
  tasks: number;
};

type Timing = Map<BenchMethod, { ms: number; cpuMs: number; tokens: number }>;

type Outcome = {
  tokensBefore: number;
  tokensAfter: number;
  context: string;
  durationMs: number;
  /** CPU time of the call: unlike wall time, not inflated when other processes share the cores. */
  cpuMs: number;
};

export async function compressPrompt(
  prompt: BenchPrompt,
  method: BenchMethod,
  rate: number | null,
  embedder?: Embedder,
): Promise<Outcome> {
  const cpu = process.cpuUsage();
  const outcome = await compressPromptOnce(prompt, method, rate, embedder);
  const used = process.cpuUsage(cpu);
  return { ...outcome, cpuMs: (used.user + used.system) / 1000 };
}

async function compressPromptOnce(
  prompt: BenchPrompt,
  method: BenchMethod,
  rate: number | null,
  embedder?: Embedder,
): Promise<Omit<Outcome, 'cpuMs'>> {
  const request: TokenomicsRequest = {
    model: 'bench',
    messages: [
      { role: 'system', content: [{ type: 'text', text: prompt.instruction }] },
      { role: 'user', content: [{ type: 'text', text: `${prompt.context}\n\n${prompt.question}` }] },
    ],
  };
  if (method === 'truncate') return truncate(prompt, rate ?? 1);
  const options: RequestCompressionOptions = { minTokens: 0, lastUserMessage: 'question' };
  if (method !== 'lossless') {
    const count = await loadTokenCounter();
    const total = count(prompt.instruction) + count(`${prompt.context}\n\n${prompt.question}`);
    options.targetTokens = Math.floor(total * (rate ?? 1));
    if (method === 'select+embed') options.embedder = embedder;
    if (method === 'select-json') options.json = 'select-entries';
  }
  const result = await compressRequest(request, options);
  const text = (result.request.messages[1]!.content[0] as { text: string }).text;
  return {
    tokensBefore: result.tokensBefore,
    tokensAfter: result.tokensAfter,
    context: text.slice(0, Math.max(0, text.length - prompt.question.length)),
    durationMs: result.durationMs,
  };
}

async function truncate(prompt: BenchPrompt, rate: number): Promise<Omit<Outcome, 'cpuMs'>> {
  const started = performance.now();
  const count = await loadTokenCounter();
  const fixed = count(prompt.instruction) + count(`\n\n${prompt.question}`);
  const before = fixed + count(prompt.context);
  const budget = Math.floor(before * rate) - fixed;
  const kept: string[] = [];
  let used = 0;
  for (const line of prompt.context.split('\n')) {
    const cost = count(line) + 1;
    if (used + cost > budget) break;
    kept.push(line);
    used += cost;
  }
  const context = kept.join('\n');
  const after = count(prompt.instruction) + count(`${context}\n\n${prompt.question}`);
  return { tokensBefore: before, tokensAfter: after, context, durationMs: performance.now() - started };
}

export async function runNq(
  prompts: readonly NqPrompt[],
  methods: readonly BenchMethod[],
  rates: readonly number[],
  timing: Timing,
  embedder?: Embedder,
): Promise<NqRow[]> {
  const rows: NqRow[] = [];
  for (const method of methods) {
    for (const rate of method === 'lossless' ? [null] : rates) {
      let before = 0;
      let after = 0;
      const hits = { first: [0, 0], middle: [0, 0], last: [0, 0] };
      for (const prompt of prompts) {
        const outcome = await compressPrompt(prompt, method, rate, embedder);
        record(timing, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        const third =
          prompt.goldPosition < prompt.docs / 3
            ? 'first'
            : prompt.goldPosition < (2 * prompt.docs) / 3
              ? 'middle'
              : 'last';
        hits[third][1]! += 1;
        if (retainsAnswer(outcome.context, prompt.answers)) hits[third][0]! += 1;
      }
      const retained = hits.first[0]! + hits.middle[0]! + hits.last[0]!;
      rows.push({
        method,
        docs: prompts[0]?.docs ?? 0,
        rate,
        ratio: round(before / after),
        retention: round(retained / prompts.length),
        retentionByPosition: {
          first: round(hits.first[0]! / Math.max(1, hits.first[1]!)),
          middle: round(hits.middle[0]! / Math.max(1, hits.middle[1]!)),
          last: round(hits.last[0]! / Math.max(1, hits.last[1]!)),
        },
        prompts: prompts.length,
      });
    }
  }
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
        const outcome = await compressPrompt(prompt, method, rate);
        record(timing, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        if (outcome.context.includes(prompt.answers[0]!)) retained += 1;
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

export async function runBbh(
  prompts: ReadonlyArray<BenchPrompt & { answerLines: number }>,
  methods: readonly BenchMethod[],
  rates: readonly number[],
  timing: Timing,
): Promise<BbhRow[]> {
  const rows: BbhRow[] = [];
  for (const method of methods) {
    for (const rate of method === 'lossless' ? [null] : rates) {
      let before = 0;
      let after = 0;
      let lines = 0;
      let keptLines = 0;
      for (const prompt of prompts) {
        const outcome = await compressPrompt(prompt, method, rate);
        record(timing, method, outcome);
        before += outcome.tokensBefore;
        after += outcome.tokensAfter;
        lines += prompt.answerLines;
        const kept = new Set(answerLines(outcome.context));
        keptLines += answerLines(prompt.context).filter((line) => kept.has(line)).length;
      }
      rows.push({
        method,
        rate,
        ratio: round(before / after),
        answerLinesKept: round(lines > 0 ? keptLines / lines : 1),
        tasks: prompts.length,
      });
    }
  }
  return rows;
}

function record(timing: Timing, method: BenchMethod, outcome: Outcome): void {
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
