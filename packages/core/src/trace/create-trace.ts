import type { TokenomicsRequest } from '../request/request';
import { toJsonSafe } from './json-safe';
import type { DecisionTrace, TraceStep } from './trace';

/** A new, empty trace for a call, with a fresh random id. Holds counts, never the prompt itself. */
export function createTrace(
  request: TokenomicsRequest,
  options: { id?: string; now?: number } = {},
): DecisionTrace {
  const summary: DecisionTrace['request'] = { model: request.model, messages: request.messages.length };
  if (request.tools && request.tools.length > 0) summary.tools = request.tools.length;
  const scope = definedFields(request.scope);
  if (scope) summary.scope = scope;
  return {
    id: options.id ?? globalThis.crypto.randomUUID(),
    startedAt: options.now ?? Date.now(),
    request: summary,
    steps: [],
  };
}

/**
 * Appends a step (steps keep the order they were added in) and returns the stored copy, whose
 * `details` are made JSON-safe so the trace can go straight into metadata or a log.
 */
export function addStep(trace: DecisionTrace, step: TraceStep): TraceStep {
  const stored: TraceStep = { stage: step.stage, decision: step.decision };
  if (step.reason !== undefined) stored.reason = step.reason;
  if (step.details !== undefined) stored.details = toJsonSafe(step.details) as Record<string, unknown>;
  if (step.durationMs !== undefined) stored.durationMs = step.durationMs;
  stored.offsetMs = step.offsetMs ?? Math.max(0, Date.now() - trace.startedAt);
  trace.steps.push(stored);
  return stored;
}

/**
 * Starts timing a stage; call the returned function with the outcome to add the step with its
 * duration. `const done = startStep(trace, 'cache'); ...; done({ decision: 'hit' })`.
 */
export function startStep(
  trace: DecisionTrace,
  stage: TraceStep['stage'],
): (outcome: Omit<TraceStep, 'stage' | 'durationMs' | 'offsetMs'>) => TraceStep {
  const started = performance.now();
  return (outcome) => addStep(trace, { ...outcome, stage, durationMs: roundMs(performance.now() - started) });
}

function roundMs(milliseconds: number): number {
  return Math.round(milliseconds * 1_000) / 1_000;
}

function definedFields<T extends object>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  const entries = Object.entries(value).filter(([, field]) => field !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}
