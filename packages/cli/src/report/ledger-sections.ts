import { type LedgerRecord, sumRecords } from '@tokenomics/core';
import { barChart } from './bar-chart';
import { formatValue } from './chart-format';
import { lineChart } from './line-chart';
import type { ReportSection } from './report-section';
import { stageSavingsOf } from './stage-savings';

const MAX_POINTS = 1_000;

const NO_QUALITY =
  'A ledger records tokens and dollars, not answer quality: run `tokenomics bench routing` or the end-to-end benchmark and pass its JSON.';

/** The sections a cost ledger can fill: spend over time and savings by stage. */
export function ledgerSections(records: readonly LedgerRecord[], skippedLines: number): ReportSection[] {
  const ordered = [...records].sort((first, second) => first.at - second.at);
  return [
    spendSection(ordered, skippedLines),
    savingsByStageSection(ordered),
    { id: 'quality-cost', note: NO_QUALITY },
    {
      id: 'cache-threshold',
      note: 'A ledger has no threshold sweep: pass the JSON of `tokenomics bench cache --json <file>`.',
    },
    {
      id: 'compression',
      note: 'A ledger has no retention measure: pass the JSON of `tokenomics bench compression`.',
    },
  ];
}

function spendSection(records: readonly LedgerRecord[], skippedLines: number): ReportSection {
  const totals = sumRecords([...records]);
  // Dollars when any call is priced; tokens when none is (every model unknown to the pricing).
  const unit = totals.baseline.dollars > 0 ? 'dollars' : 'tokens';
  const spent: { x: number; y: number; label: string }[] = [];
  const baseline: { x: number; y: number; label: string }[] = [];
  let spentSum = 0;
  let baselineSum = 0;
  // Cumulative curves are smooth: a thousand points draw a long ledger as well as all of them.
  const every = Math.ceil(records.length / MAX_POINTS);
  records.forEach((record, index) => {
    spentSum += record.spent[unit];
    baselineSum += record.baseline[unit];
    if ((index + 1) % every !== 0 && index !== records.length - 1) return;
    const label = new Date(record.at).toISOString();
    spent.push({ x: index + 1, y: spentSum, label });
    baseline.push({ x: index + 1, y: baselineSum, label });
  });
  const format = unit === 'dollars' ? 'dollars' : 'count';
  const chart = lineChart({
    id: 'spend',
    title: `Cumulative ${unit}: spent against the baseline`,
    x: { label: 'calls, in time order', format: 'count' },
    y: { label: `cumulative ${unit}`, format, includeZero: true },
    series: [
      {
        name: 'baseline (every call unoptimized)',
        points: baseline,
        mark: 'line',
        dashed: true,
        color: '#7f7f7f',
      },
      { name: 'spent', points: spent, mark: 'line', color: '#0072b2' },
    ],
  });
  const first = records[0]!;
  const last = records.at(-1)!;
  const facts = [
    `${records.length.toLocaleString('en-US')} calls from ${new Date(first.at).toISOString()} to ${new Date(last.at).toISOString()}.`,
    `Spent ${formatValue(totals.spent[unit], format)} against a baseline of ${formatValue(totals.baseline[unit], format)}: ${formatValue(totals.savedShare[unit], 'share')} saved.`,
  ];
  const notes: string[] = [];
  if (totals.unpricedCalls > 0)
    notes.push(
      `${totals.unpricedCalls} call(s) used a model without a known price; their dollars count as 0.`,
    );
  if (unit === 'tokens') notes.push('No call had a known price, so the chart counts tokens.');
  if (skippedLines > 0)
    notes.push(`${skippedLines} line(s) of the file were not ledger records and were skipped.`);
  return { id: 'spend', chart, facts, note: notes.length > 0 ? notes.join(' ') : undefined };
}

function savingsByStageSection(records: readonly LedgerRecord[]): ReportSection {
  const saved = new Map<string, number>();
  let fromBreakdown = 0;
  for (const record of records) {
    const breakdown = stageSavingsOf(record as unknown as Record<string, unknown>);
    if (breakdown) fromBreakdown++;
    const parts = breakdown ?? { [record.stage]: record.saved.dollars };
    for (const [stage, dollars] of Object.entries(parts)) {
      // The ledger says 'router', a pipeline's breakdown may say 'routing': one bar.
      const name = stage === 'router' ? 'routing' : stage;
      saved.set(name, (saved.get(name) ?? 0) + dollars);
    }
  }
  saved.delete('none');
  if (saved.size === 0 || [...saved.values()].every((value) => value === 0)) {
    return {
      id: 'savings-by-stage',
      note: 'No call in this ledger saved anything (every record is stage "none" or priced at $0).',
    };
  }
  const stages = [...saved.keys()];
  const chart = barChart({
    id: 'savings-by-stage',
    title: 'Dollars saved by each stage',
    categories: stages,
    groups: [{ name: 'saved', values: stages.map((stage) => saved.get(stage)!) }],
    y: { label: 'dollars saved', format: 'dollars' },
  });
  const facts = stages.map((stage) => `${stage}: ${formatValue(saved.get(stage)!, 'dollars')} saved.`);
  const note =
    fromBreakdown > 0
      ? `${fromBreakdown} record(s) carried a per-stage breakdown; the others count whole under their stage.`
      : 'Each record counts whole under the stage that recorded it.';
  return { id: 'savings-by-stage', chart, facts, note };
}
