import { existsSync, readFileSync } from 'node:fs';
import type { DecisionTrace, LedgerRecord } from '@tokenomics/core';
import { DatasetError } from '../datasets/dataset-error';

/**
 * One line of a deployment's feedback file (JSONL). `kind` 'answer' (the default) grades a model's
 * answer to a prompt; 'cache-hit' grades a semantic cache hit (was the stored answer right for the
 * new question?). `traceId` joins the line with the ledger and the traces the deployment wrote.
 */
export type FeedbackLine = AnswerFeedback | CacheHitFeedback;

export type AnswerFeedback = {
  kind?: 'answer';
  traceId: string;
  /** The user's request as the model saw it (the ledger and traces keep no text). */
  prompt: string;
  /** The answer that was graded; needed to train the answer scorer. */
  answer?: string;
  /** The model that answered; default the ledger record's `model`. */
  model?: string;
  /** Was the answer good enough (user feedback, a judge, a check); or `score` in 0..1 (good at 0.5 and above). */
  good?: boolean;
  score?: number;
  /** Task family, product area or tenant: the unit the leave-out report holds out. Default the ledger scope's namespace, then tenant. */
  group?: string;
};

export type CacheHitFeedback = {
  kind: 'cache-hit';
  traceId: string;
  /** The new question that was served from the cache. */
  query: string;
  /** The stored question whose answer was served. */
  cachedQuery: string;
  good?: boolean;
  score?: number;
  /** Embedding similarity of the two; default the trace's cache step `similarity`. */
  similarity?: number;
  group?: string;
};

/** A graded answer joined with what the ledger recorded about its call. */
export type AnswerExample = {
  traceId: string;
  prompt: string;
  answer?: string;
  model: string;
  good: number;
  group: string;
  /** Output tokens of the call, from the ledger. */
  outputTokens?: number;
  /** The model the router's baseline named (the strong tier), from the ledger. */
  baselineModel?: string;
};

export type CachePairExample = {
  traceId: string;
  query: string;
  cachedQuery: string;
  good: number;
  group: string;
  similarity?: number;
};

export type TrafficData = {
  answers: AnswerExample[];
  cachePairs: CachePairExample[];
  ledger: LedgerRecord[];
  /** Feedback lines whose trace the ledger does not know (kept: the feedback says enough on its own). */
  unmatched: number;
};

/** Reads a deployment's ledger, traces and feedback (JSONL files) and joins them by trace id. */
export function readTraffic(files: { ledger: string; feedback: string; traces?: string }): TrafficData {
  const ledger = readJsonl<LedgerRecord>(files.ledger, 'ledger');
  const traces = files.traces ? readJsonl<DecisionTrace>(files.traces, 'traces') : [];
  const feedback = readJsonl<FeedbackLine>(files.feedback, 'feedback');
  const byTrace = new Map(ledger.map((record) => [record.traceId, record]));
  const traceById = new Map(traces.map((trace) => [trace.id, trace]));
  const answers: AnswerExample[] = [];
  const cachePairs: CachePairExample[] = [];
  let unmatched = 0;
  feedback.forEach((line, index) => {
    const record = byTrace.get(line.traceId);
    if (!record) unmatched++;
    const good = grade(line, index);
    const group = line.group ?? record?.scope?.namespace ?? record?.scope?.tenant ?? 'all';
    if (line.kind === 'cache-hit') {
      const similarity = line.similarity ?? cacheSimilarity(traceById.get(line.traceId));
      cachePairs.push({
        traceId: line.traceId,
        query: requireText(line.query, 'query', index),
        cachedQuery: requireText(line.cachedQuery, 'cachedQuery', index),
        good,
        group,
        ...(similarity === undefined ? {} : { similarity }),
      });
      return;
    }
    const model = line.model ?? record?.model;
    if (!model)
      throw new DatasetError(`feedback line ${index + 1}: no model, and the ledger has no ${line.traceId}`);
    const outputTokens = record && record.stage !== 'cache' ? record.spent.usage.outputTokens : undefined;
    answers.push({
      traceId: line.traceId,
      prompt: requireText(line.prompt, 'prompt', index),
      ...(line.answer === undefined ? {} : { answer: line.answer }),
      model,
      good,
      group,
      ...(outputTokens === undefined ? {} : { outputTokens }),
      ...(record ? { baselineModel: record.baselineModel } : {}),
    });
  });
  return { answers, cachePairs, ledger, unmatched };
}

function grade(line: FeedbackLine, index: number): number {
  if (typeof line.good === 'boolean') return line.good ? 1 : 0;
  if (typeof line.score === 'number' && line.score >= 0 && line.score <= 1) return line.score >= 0.5 ? 1 : 0;
  throw new DatasetError(`feedback line ${index + 1}: needs "good" (true/false) or "score" (0..1)`);
}

function requireText(value: unknown, name: string, index: number): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new DatasetError(`feedback line ${index + 1}: "${name}" must be a non-empty string`);
  return value;
}

/** The similarity the cache step of a trace recorded for its hit, when it did. */
function cacheSimilarity(trace: DecisionTrace | undefined): number | undefined {
  const step = trace?.steps.find((candidate) => candidate.stage === 'cache' && candidate.decision === 'hit');
  const value = step?.details?.similarity;
  return typeof value === 'number' ? value : undefined;
}

function readJsonl<Line>(path: string, name: string): Line[] {
  if (!existsSync(path)) throw new DatasetError(`${name} file not found: ${path}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new DatasetError(`${path}: line ${index + 1} is not JSON`);
      }
    });
}
