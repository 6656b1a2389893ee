import type { SavingStage } from '@tokenomics/core';
import { formatDollars } from '../../output';
import { OFFLINE_LABEL } from '../../stand-in';
import type { Framework } from '../demo-types';
import type { PipelineRow } from './run-pipeline-demo';

const STAGES: readonly SavingStage[] = ['cache', 'compression', 'routing', 'cascade'];

/** Totals of a set of rows: dollars and tokens against always-strong, savings by stage, quality. */
export type PipelineTotals = {
  requests: number;
  spentDollars: number;
  baselineDollars: number;
  spentTokens: number;
  baselineTokens: number;
  savedByStage: Record<SavingStage, number>;
  cacheHits: number;
  wrongHits: number;
  routing: { questions: number; servedCorrect: number; strongCorrect: number; weakCalls: number };
  compression: { answered: number; retained: number; tokensBefore: number; tokensAfter: number };
  damagedSpans: number;
};

export function pipelineTotals(rows: readonly PipelineRow[]): PipelineTotals {
  const totals: PipelineTotals = {
    requests: rows.length,
    spentDollars: 0,
    baselineDollars: 0,
    spentTokens: 0,
    baselineTokens: 0,
    savedByStage: { cache: 0, compression: 0, routing: 0, cascade: 0 },
    cacheHits: 0,
    wrongHits: 0,
    routing: { questions: 0, servedCorrect: 0, strongCorrect: 0, weakCalls: 0 },
    compression: { answered: 0, retained: 0, tokensBefore: 0, tokensAfter: 0 },
    damagedSpans: 0,
  };
  for (const row of rows) {
    totals.spentDollars += row.record.spent.dollars;
    totals.baselineDollars += row.record.baseline.dollars;
    totals.spentTokens += row.record.spent.tokens;
    totals.baselineTokens += row.record.baseline.tokens;
    for (const stage of STAGES) totals.savedByStage[stage] += row.record.savedByStage?.[stage].dollars ?? 0;
    if (row.cache.decision === 'hit') totals.cacheHits++;
    if (row.wrongHit) totals.wrongHits++;
    if (row.request.recorded) {
      totals.routing.questions++;
      if (row.correct) totals.routing.servedCorrect++;
      if (row.strongCorrect) totals.routing.strongCorrect++;
      if (row.route?.tier === 'weak') totals.routing.weakCalls++;
    }
    if (row.compression && row.cache.decision !== 'hit') {
      totals.compression.tokensBefore += row.compression.tokensBefore;
      totals.compression.tokensAfter += row.compression.tokensAfter;
    }
    if (row.retained !== undefined) {
      totals.compression.answered++;
      if (row.retained) totals.compression.retained++;
    }
    totals.damagedSpans += row.damaged.length;
  }
  return totals;
}

/** One printed line per request: each stage's decision and why, quality, dollars. */
export function formatPipelineRow(row: PipelineRow, label: string): string {
  const cache =
    row.cache.decision === 'hit'
      ? `${row.wrongHit ? 'WRONG HIT' : 'hit'} ${row.cache.kind ?? ''}${row.cache.similarity === undefined ? '' : ` ${row.cache.similarity.toFixed(3)}`}`
      : row.cache.decision;
  const compression =
    row.compression && row.cache.decision !== 'hit'
      ? `${row.compression.tokensBefore}→${row.compression.tokensAfter} tok`
      : '-';
  const route = row.route
    ? `${row.route.tier} (${row.route.reason}${row.route.escalated ? ', escalated' : ''})`
    : '-';
  return [
    label,
    row.framework.padEnd(9),
    row.request.id,
    row.request.kind.padEnd(9),
    row.request.note.padEnd(20),
    `expect ${row.request.expect}`.padEnd(14),
    `cache ${cache}`.padEnd(24),
    `compress ${compression}`.padEnd(24),
    `route ${route}`.padEnd(40),
    quality(row).padEnd(16),
    `${formatDollars(row.record.spent.dollars)} of ${formatDollars(row.record.baseline.dollars)}`,
    JSON.stringify(truncate(row.request.turns.at(-1)?.text ?? '', 48)),
  ].join('  ');
}

function quality(row: PipelineRow): string {
  if (row.damaged.length > 0) return 'DAMAGED SPAN';
  if (row.correct !== undefined) return row.correct ? 'right' : 'wrong (recorded)';
  if (row.retained !== undefined) return row.retained ? 'answer kept' : 'answer dropped';
  return row.wrongHit ? 'WRONG ANSWER' : '';
}

export function formatPipelineTotals(name: Framework | 'all', totals: PipelineTotals, label: string): string {
  const saved = totals.baselineDollars - totals.spentDollars;
  const byStage = STAGES.map((stage) => `${stage} ${formatDollars(totals.savedByStage[stage])}`).join(', ');
  const { routing, compression } = totals;
  return [
    `${label} ${name}: ${totals.requests} requests: spent ${formatDollars(totals.spentDollars)} (${totals.spentTokens} tokens) against always-strong ${formatDollars(totals.baselineDollars)} (${totals.baselineTokens} tokens): saved ${formatDollars(saved)} (${percent(saved, totals.baselineDollars)})`,
    `${label} ${name}: saved by stage: ${byStage}`,
    `${label} ${name}: cache ${totals.cacheHits} hits, ${totals.wrongHits} wrong; compression ${compression.tokensBefore}→${compression.tokensAfter} prompt tokens, answer passage kept in ${compression.retained}/${compression.answered}, damaged protected spans ${totals.damagedSpans}`,
    routing.questions === 0
      ? `${label} ${name}: routing: no recorded questions (see above)`
      : `${label} ${name}: routing: ${routing.weakCalls}/${routing.questions} to the weak tier; right ${routing.servedCorrect}/${routing.questions} against always-strong ${routing.strongCorrect}/${routing.questions} (${label === OFFLINE_LABEL ? 'recorded answers' : 'final number against the recorded correct answer'})`,
  ].join('\n');
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`;
}

function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
