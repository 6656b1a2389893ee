import { estimateUsage, type Usage } from '@tokenomics/core';
import type { AnswerTopics } from '../answer-topics';
import type { Framework } from '../demo-types';
import type { PipelineCall, PipelineClient } from './pipeline-clients';
import type { PipelineRequest } from './pipeline-workload';
import type { StandInTiers } from './stand-in-tiers';

/** One request through one framework's pipeline, graded. */
export type PipelineRow = PipelineCall & {
  framework: Framework;
  request: PipelineRequest;
  latencyMs: number;
  /** A cache hit that served another request's answer (or one that cannot be told apart). */
  wrongHit: boolean;
  /**
   * Routing: whether the served answer is right. Offline: the recorded correctness of the model
   * the answering tier replays. With a real provider: its final number against the recorded
   * correct answer's.
   */
  correct?: boolean;
  /** Routing: whether always-strong is right on this question (recorded offline, the real baseline call otherwise). */
  strongCorrect?: boolean;
  /** Retrieval answered by a tier: whether the passage with the answer survived compression. */
  retained?: boolean;
  /** Protected spans (and the question) that reached the model changed. Must be empty. */
  damaged: string[];
};

/** The always-strong call of a request: its usage, and its answer when it was really made. */
export type BaselineCall = { usage: Usage; text?: string };

export type RunPipelineOptions = {
  requests: readonly PipelineRequest[];
  clients: readonly PipelineClient[];
  answers: AnswerTopics;
  /** Offline: what the tiers got, to check compression; absent with a real provider. */
  standIn?: StandInTiers;
  /** The always-strong baseline of a request: a recorded or real call of the strong tier on the uncompressed prompt. */
  baseline: (request: PipelineRequest) => Promise<BaselineCall | undefined>;
  onRow?: (row: PipelineRow) => void;
};

/** Runs every request through each framework's stack in turn and grades each answer. */
export async function runPipelineDemo(options: RunPipelineOptions): Promise<PipelineRow[]> {
  const rows: PipelineRow[] = [];
  for (const client of options.clients) {
    for (const request of options.requests) {
      if (options.standIn) options.standIn.lastTurns.value = undefined;
      const baseline = await options.baseline(request);
      const started = performance.now();
      const call = await client.call(request, baseline?.usage);
      const latencyMs = performance.now() - started;
      const row = grade(options, client.framework, request, call, latencyMs);
      if (request.recorded)
        Object.assign(row, routingQuality(options, request, call, row.wrongHit, baseline?.text));
      rows.push(row);
      options.onRow?.(row);
    }
  }
  return rows;
}

function grade(
  options: RunPipelineOptions,
  framework: Framework,
  request: PipelineRequest,
  call: PipelineCall,
  latencyMs: number,
): PipelineRow {
  const hit = call.cache.decision === 'hit';
  if (!hit) options.answers.remember(call.text, request.topic);
  const row: PipelineRow = {
    ...call,
    framework,
    request,
    latencyMs,
    // An answer whose topic cannot be told is counted as wrong: a demo must not vouch for it.
    wrongHit: hit && options.answers.topicOf(call.text) !== request.topic,
    damaged: [],
  };
  const sent = options.standIn?.lastTurns.value;
  if (!hit && sent && request.kind === 'retrieval') {
    const document = sent.slice(0, -1).join('\n');
    row.retained = request.answerPassage !== undefined && document.includes(request.answerPassage);
    row.damaged = damagedSpans(request, sent, document);
  }
  return row;
}

/** Whether the served answer and always-strong's are right on a recorded routing question. */
function routingQuality(
  options: RunPipelineOptions,
  request: PipelineRequest,
  call: PipelineCall,
  wrongHit: boolean,
  baselineText: string | undefined,
): { correct: boolean; strongCorrect: boolean } {
  const recorded = request.recorded!;
  if (options.standIn) {
    const tier = call.route?.tier === 'weak' ? 'weak' : 'strong';
    const replayed = call.text.trim() === recorded[tier].text.trim();
    return {
      correct: !wrongHit && replayed && recorded[tier].correct,
      strongCorrect: recorded.strong.correct,
    };
  }
  const gold = recorded.strong.correct
    ? finalNumber(recorded.strong.text)
    : recorded.weak.correct
      ? finalNumber(recorded.weak.text)
      : undefined;
  const right = (text: string | undefined) =>
    gold !== undefined && text !== undefined && finalNumber(text) === gold;
  return { correct: !wrongHit && right(call.text), strongCorrect: right(baselineText) };
}

/** The last number in an answer, without thousands separators. */
export function finalNumber(text: string): string | undefined {
  const numbers = text.replace(/(\d),(\d{3})/g, '$1$2').match(/-?\d+(?:\.\d+)?/g);
  const last = numbers?.at(-1);
  return last === undefined ? undefined : String(Number(last));
}

/** A protected span that reached the model in part, or a question that changed. */
export function damagedSpans(request: PipelineRequest, sent: readonly string[], document: string): string[] {
  const damaged: string[] = [];
  const question = request.turns.at(-1)?.text.trim() ?? '';
  if ((sent.at(-1) ?? '').trim() !== question) damaged.push(`question: ${question}`);
  for (const span of request.protectedSpans ?? []) {
    if (document.includes(span)) continue;
    const head = span.slice(0, 24);
    const tail = span.slice(-24);
    if (document.includes(head) || document.includes(tail)) damaged.push(span);
  }
  return damaged;
}

/** The recorded always-strong call: the strong tier's answer to the uncompressed prompt, counted with tiktoken. */
export async function recordedStrongUsage(
  request: PipelineRequest,
  strongAnswer: string,
  pricedAs: string,
): Promise<Usage> {
  const messages = [
    { role: 'system' as const, content: [{ type: 'text' as const, text: request.system }] },
    ...request.turns.map((turn) => ({
      role: turn.role,
      content: [{ type: 'text' as const, text: turn.text }],
    })),
  ];
  return estimateUsage({ model: pricedAs, messages }, strongAnswer);
}
