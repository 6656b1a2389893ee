/**
 * Compressor time at scale: one long retrieval prompt of about 20,000 tokens, and chats of 1,600
 * messages. Built from NaturalQuestions passages and questions (read in place); CPU time per
 * 1,000 input tokens, the measure of the target.
 */
import { join } from 'node:path';
import { compressRequest, loadTokenCounter, type Message, type TokenomicsRequest } from '@tokenomics/core';
import { readJsonLines } from './compression-datasets';

export type SpeedRow = {
  workload: 'long-prompt' | 'long-chat';
  /** Average input tokens and messages per request. */
  tokens: number;
  messages: number;
  rate: number;
  ratio: number;
  cpuMsPer1kTokens: number;
  wallMsPer1kTokens: number;
  requests: number;
};

type Row = { question: string; ctxs: Array<{ title: string; text: string }> };

export async function runSpeed(
  dataFolder: string,
  options: { requests: number; promptTokens?: number; chatMessages?: number; rate?: number },
): Promise<SpeedRow[]> {
  const rows = readJsonLines<Row>(join(dataFolder, 'lost-in-the-middle', 'nq-open-oracle.jsonl.gz'));
  const count = await loadTokenCounter();
  const rate = options.rate ?? 1 / 3;
  const prompts: TokenomicsRequest[] = [];
  const chats: TokenomicsRequest[] = [];
  let cursor = 0;
  // One more of each than measured: the first warms the process up.
  for (let request = 0; request <= options.requests; request += 1) {
    const built = longPrompt(rows, cursor, options.promptTokens ?? 20_000, count);
    prompts.push(built.request);
    cursor = built.next;
    chats.push(longChat(rows, cursor, options.chatMessages ?? 1_600));
    cursor += (options.chatMessages ?? 1_600) / 2;
  }
  const only = process.env.TOKENOMICS_SPEED_ONLY;
  return [
    ...(only === 'long-chat' ? [] : [await measure('long-prompt', prompts, rate)]),
    ...(only === 'long-prompt' ? [] : [await measure('long-chat', chats, rate)]),
  ];
}

function longPrompt(
  rows: Row[],
  start: number,
  tokens: number,
  count: (text: string) => number,
): { request: TokenomicsRequest; next: number } {
  const documents: string[] = [];
  let used = 0;
  let index = start;
  while (used < tokens) {
    const passage = rows[index % rows.length]!.ctxs[0]!;
    const line = `Document [${documents.length + 1}](Title: ${passage.title}) ${passage.text}`;
    documents.push(line);
    used += count(line);
    index += 1;
  }
  const question = rows[start % rows.length]!.question;
  return {
    request: {
      model: 'openai:gpt-3.5-turbo',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Answer the question from the documents.' }] },
        {
          role: 'user',
          content: [{ type: 'text', text: `${documents.join('\n')}\n\nQuestion: ${question}\nAnswer:` }],
        },
      ],
    },
    next: index,
  };
}

/** A chat of questions and passage-long answers, then a last question. */
function longChat(rows: Row[], start: number, messages: number): TokenomicsRequest {
  const out: Message[] = [
    { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
  ];
  for (let turn = 0; out.length < messages - 1; turn += 1) {
    const row = rows[(start + turn) % rows.length]!;
    out.push({ role: 'user', content: [{ type: 'text', text: `${row.question}?` }] });
    out.push({ role: 'assistant', content: [{ type: 'text', text: row.ctxs[0]!.text }] });
  }
  out.push({ role: 'user', content: [{ type: 'text', text: `${rows[start % rows.length]!.question}?` }] });
  return { model: 'openai:gpt-3.5-turbo', messages: out };
}

async function measure(
  workload: SpeedRow['workload'],
  requests: TokenomicsRequest[],
  rate: number,
): Promise<SpeedRow> {
  // The first request is not measured: the steady state of a running process has its code
  // compiled. The measured requests use other passages, so the token counter's cache only
  // holds words they share with it.
  const [warmUp, ...measured] = requests;
  await compressRequest(warmUp!, { rate });
  let tokens = 0;
  let after = 0;
  let cpuMs = 0;
  let wallMs = 0;
  let messages = 0;
  for (const request of measured) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await compressRequest(request, { rate });
    wallMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    tokens += result.tokensBefore;
    after += result.tokensAfter;
    messages += request.messages.length;
  }
  const per1k = (ms: number) => Math.round((ms / Math.max(1, tokens)) * 1000 * 100) / 100;
  return {
    workload,
    tokens: Math.round(tokens / measured.length),
    messages: Math.round(messages / measured.length),
    rate,
    ratio: Math.round((tokens / Math.max(1, after)) * 1000) / 1000,
    cpuMsPer1kTokens: per1k(cpuMs),
    wallMsPer1kTokens: per1k(wallMs),
    requests: measured.length,
  };
}
