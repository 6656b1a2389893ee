import type { DecisionTrace, TraceSink } from './trace';

/** A sink that keeps the most recent traces in memory, for tests, demos and debugging. */
export type TraceCollector = TraceSink & {
  /** Collected traces, oldest first (a copy). */
  traces(): DecisionTrace[];
  /** The trace with this id, if still kept. */
  get(id: string): DecisionTrace | undefined;
  clear(): void;
};

export function createTraceCollector(options: { maxTraces?: number } = {}): TraceCollector {
  const maxTraces = Math.max(1, Math.floor(options.maxTraces ?? 1_000));
  let kept: DecisionTrace[] = [];
  return {
    write(trace) {
      kept.push(trace);
      if (kept.length > maxTraces) kept = kept.slice(kept.length - maxTraces);
    },
    traces: () => [...kept],
    get: (id) => kept.find((trace) => trace.id === id),
    clear() {
      kept = [];
    },
  };
}
