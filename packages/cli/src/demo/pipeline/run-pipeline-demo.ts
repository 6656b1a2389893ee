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
  /** Routing: whether the served answer is right (the recorded correctness of the tier that answered). */
  correct?: boolean;
  /** Retrieval answered by a tier: whether the passage with the answer survived compression. */
  retained?: boolean;
  /** Protected spans (and the question) that reached the model changed. Must be empty. */
  damaged: string[];
};

export type RunPipelineOptions = {
  requests: readonly PipelineRequest[];
  clients: readonly PipelineClient[];
  answers: AnswerTopics;
  /** Offline: what the tiers got, to check compression; absent with a real provider. */
  standIn?: StandInTiers;
  /** The always-strong baseline of a request: a recorded or real call of the strong tier on the uncompressed prompt. */
  baseline: (request: PipelineRequest) => Promise<Usage | undefined>;
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
      const call = await client.call(request, baseline);
      const latencyMs = performance.now() - started;
      const row = grade(options, client.framework, request, call, latencyMs);
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
  if (request.recorded) {
    const tier = call.route?.tier === 'weak' ? 'weak' : 'strong';
    row.correct =
      !row.wrongHit &&
      request.recorded[tier].correct &&
      call.text.trim() === request.recorded[tier].text.trim();
  }
  const sent = options.standIn?.lastTurns.value;
  if (!hit && sent && request.kind === 'retrieval') {
    const document = sent.slice(0, -1).join('\n');
    row.retained = request.answerPassage !== undefined && document.includes(request.answerPassage);
    row.damaged = damagedSpans(request, sent, document);
  }
  return row;
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
