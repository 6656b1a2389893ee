import { toJsonSafe } from './json-safe';
import type { DecisionTrace, TraceListener, TraceSink } from './trace';

export type FinishTraceOptions = {
  /** Each receives its own JSON-safe copy of the finished trace. */
  sinks?: ReadonlyArray<TraceSink | TraceListener>;
  /** Called when a sink throws or rejects; default: one console warning per process. */
  onSinkError?: (error: unknown, trace: DecisionTrace) => void;
  now?: number;
};

/**
 * Marks the trace finished (end time and total duration) and hands it to the sinks. Finishing an
 * already finished trace changes nothing and delivers nothing, so a trace is reported once.
 */
export function finishTrace(trace: DecisionTrace, options: FinishTraceOptions = {}): DecisionTrace {
  if (trace.finishedAt !== undefined) return trace;
  trace.finishedAt = options.now ?? Date.now();
  trace.durationMs = Math.max(0, trace.finishedAt - trace.startedAt);
  const onSinkError = options.onSinkError ?? warnOnce;
  for (const sink of options.sinks ?? []) {
    const copy = toJsonSafe(trace) as DecisionTrace;
    try {
      const result = typeof sink === 'function' ? sink(copy) : sink.write(copy);
      if (result instanceof Promise) result.catch((error: unknown) => onSinkError(error, trace));
    } catch (error) {
      onSinkError(error, trace);
    }
  }
  return trace;
}

let warned = false;

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(
    `[tokenomics] a trace sink failed (further trace sink errors are not shown): ${String(error)}`,
  );
}
