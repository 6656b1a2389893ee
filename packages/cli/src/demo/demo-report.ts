import { formatDollars, formatMs } from '../output';
import type { DemoRow, DemoTotals } from './demo-types';

/** One printed line per request; `label` (e.g. `[offline stand-in]`) starts every line. */
export function formatDemoRow(row: DemoRow, label: string): string {
  const outcome = row.outcome;
  const decision =
    outcome.decision === 'hit' ? (row.wrongHit ? 'WRONG HIT' : 'HIT') : outcome.decision.toUpperCase();
  const similarity = outcome.similarity === undefined ? '' : outcome.similarity.toFixed(3);
  return [
    label,
    row.framework.padEnd(9),
    row.request.tenant.padEnd(6),
    row.request.id,
    row.request.note.padEnd(18),
    `expect ${row.request.expect}`.padEnd(14),
    decision.padEnd(9),
    (outcome.kind ?? '').padEnd(8),
    similarity.padStart(5),
    `${formatMs(row.latencyMs)} ms`.padStart(10),
    `saved ${String(row.savedTokens).padStart(4)} tok ${formatDollars(row.savedDollars)}`,
    JSON.stringify(truncate(row.request.question, 60)),
  ].join('  ');
}

export function formatDemoHeader(label: string): string {
  return `${label}  framework  tenant  id   why                 expectation     result     kind      sim     latency  tokens and dollars saved      question`;
}

export function formatDemoTotals(name: string, totals: DemoTotals, label: string): string {
  return [
    `${label} ${name}: ${totals.requests} requests, ${totals.hits} hits (${totals.exactHits} exact, ${totals.semanticHits} semantic), hit rate ${(totals.hitRate * 100).toFixed(1)}%, wrong hits ${totals.wrongHits}`,
    `${label} ${name}: baseline ${formatDollars(totals.baselineDollars)} (${totals.baselineTokens} tokens, every request sent to the model), spent ${formatDollars(totals.spentDollars)} (${totals.spentTokens} tokens), saved ${formatDollars(totals.savedDollars)} (${totals.savedTokens} tokens, ${percent(totals.savedDollars, totals.baselineDollars)})`,
  ].join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
