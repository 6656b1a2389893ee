import type { DecisionTrace, TraceStep } from './trace';

const MAX_REASON = 80;

/**
 * One log line for a trace:
 * `trace 1a2b3c4d openai:gpt-4o-mini msgs=3 tenant=acme | cache:miss (below threshold) 3.2ms > model:call 410ms | 415ms`
 */
export function formatTrace(trace: DecisionTrace): string {
  const head = [`trace ${trace.id.slice(0, 8)}`, trace.request.model, `msgs=${trace.request.messages}`];
  for (const field of ['tenant', 'user', 'namespace'] as const) {
    const value = trace.request.scope?.[field];
    if (value !== undefined) head.push(`${field}=${value}`);
  }
  const steps = trace.steps.length > 0 ? trace.steps.map(formatStep).join(' > ') : 'no steps';
  const parts = [head.join(' '), steps];
  if (trace.durationMs !== undefined) parts.push(formatMs(trace.durationMs));
  return parts.join(' | ');
}

function formatStep(step: TraceStep): string {
  let text = `${step.stage}:${step.decision}`;
  if (step.reason) text += ` (${oneLine(step.reason)})`;
  if (step.durationMs !== undefined) text += ` ${formatMs(step.durationMs)}`;
  return text;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
}

function formatMs(milliseconds: number): string {
  return milliseconds >= 100 ? `${Math.round(milliseconds)}ms` : `${Number(milliseconds.toFixed(1))}ms`;
}
