import type { Scope } from '../request/request';

/**
 * A decision trace: what each stage saw, decided and why, for one call. Exposed through
 * LangChain callbacks / response metadata and AI SDK `providerMetadata.tokenomics`.
 * Plain JSON data: `addStep` makes step details JSON-safe as they are added.
 */
export type DecisionTrace = {
  id: string;
  /** Epoch milliseconds. */
  startedAt: number;
  request: { model: string; messages: number; tools?: number; scope?: Scope };
  steps: TraceStep[];
  /** Set by `finishTrace`. */
  finishedAt?: number;
  durationMs?: number;
};

export type TraceStep = {
  stage: 'cache' | 'compression' | 'router' | 'cascade' | 'model' | 'ledger' | (string & {});
  /** e.g. 'hit', 'miss', 'bypass', 'store', 'skip-store', 'error'. */
  decision: string;
  reason?: string;
  /** Small, JSON-safe facts: similarity, threshold, guard results, key prefixes. */
  details?: Record<string, unknown>;
  durationMs?: number;
  /** Milliseconds from the trace's start to when the step was added; set by `addStep`. */
  offsetMs?: number;
};

/** Receives each finished trace. Errors and rejections are reported, never thrown into the call. */
export type TraceSink = {
  write(trace: DecisionTrace): void | Promise<void>;
};

/** A function is a sink too: `finishTrace(trace, { sinks: [(trace) => console.log(formatTrace(trace))] })`. */
export type TraceListener = (trace: DecisionTrace) => void | Promise<void>;
