import { basename } from 'node:path';
import { barChart } from './bar-chart';
import { formatValue } from './chart-format';
import { type ChartPoint, type LineSeries, lineChart } from './line-chart';
import { numberAt, objectAt, objectsAt, stringAt } from './loose-json';
import type { ReportSection } from './report-section';
import { stageSavingsOf } from './stage-savings';

/**
 * The sections a benchmark's JSON can fill. Each looks for its own data anywhere the benchmarks
 * put it (routing `policies` and `online`, end-to-end `runs`, cache `sweep`, compression `nq`),
 * so one file can fill several charts and a new field never breaks the report.
 */
export function benchmarkSections(value: Record<string, unknown>): ReportSection[] {
  return [
    spendSection(value),
    savingsByStageSection(value),
    qualityCostSection(value),
    cacheThresholdSection(value),
    compressionSection(value),
  ];
}

function spendSection(value: Record<string, unknown>): ReportSection {
  const online = objectAt(value, 'online');
  const checkpoints = objectsAt(online, 'checkpoints');
  const spent = pointsOf(checkpoints, 'requests', 'cost');
  const baseline = pointsOf(checkpoints, 'requests', 'strongCost');
  if (spent.length === 0) {
    return {
      id: 'spend',
      note: 'This file has no series over time: a ledger (JSONL) or `bench routing` with its online replay has one.',
    };
  }
  const strong = stringAt(online, 'strong') ?? 'the strong model';
  const chart = lineChart({
    id: 'spend',
    title: 'Cumulative dollars of the online router against always calling the strong model',
    x: { label: 'requests', format: 'count' },
    y: { label: 'cumulative dollars', format: 'dollars', includeZero: true },
    series: [
      { name: `baseline: always ${strong}`, points: baseline, mark: 'line', dashed: true, color: '#7f7f7f' },
      {
        name: `online ${stringAt(online, 'policy') ?? 'router'}`,
        points: spent,
        mark: 'both',
        color: '#0072b2',
      },
    ],
  });
  const last = spent.at(-1)!;
  const lastBaseline = baseline.at(-1)?.y ?? 0;
  return {
    id: 'spend',
    chart,
    facts: [
      `After ${formatValue(last.x, 'count')} requests: ${formatValue(last.y, 'dollars')} spent against ${formatValue(lastBaseline, 'dollars')} (${formatValue(lastBaseline > 0 ? last.y / lastBaseline : 0, 'share')} of the baseline), quality ${formatValue(numberAt(online, 'quality') ?? Number.NaN, 'share')}.`,
    ],
  };
}

/**
 * The end-to-end run's savings per stage: in dollars (`savedDollarsByStage`) when the file has
 * them, else `savingsByStage`, which the end-to-end benchmark writes as shares of the baseline's
 * dollars (they add up with `costShare` to 1).
 */
function savingsByStageSection(value: Record<string, unknown>): ReportSection {
  const runs = objectsAt(value, 'runs');
  const inDollars = runs.some((run) => stageSavingsOf(run, ['savedDollarsByStage']));
  const field = inDollars ? 'savedDollarsByStage' : 'savingsByStage';
  const withSavings = runs.flatMap((run) => {
    const stages = stageSavingsOf(run, [field]);
    return stages ? [{ name: stringAt(run, 'name') ?? 'run', stages }] : [];
  });
  if (withSavings.length === 0) {
    return {
      id: 'savings-by-stage',
      note: 'This file has no per-stage savings: a ledger or the end-to-end benchmark has them.',
    };
  }
  const asShares = !inDollars && runs.some((run) => numberAt(run, 'costShare') !== undefined);
  const stages = [...new Set(withSavings.flatMap((run) => Object.keys(run.stages)))];
  const chart = barChart({
    id: 'savings-by-stage',
    title: 'Savings by stage, per run',
    categories: stages,
    groups: withSavings.map((run) => ({
      name: run.name,
      values: stages.map((stage) => run.stages[stage] ?? 0),
    })),
    y: inDollars
      ? { label: 'dollars saved', format: 'dollars' }
      : asShares
        ? { label: 'saved, share of the baseline’s dollars', format: 'share' }
        : { label: 'saved' },
  });
  const note = inDollars || asShares ? undefined : 'Savings are in the unit the file reports them in.';
  return { id: 'savings-by-stage', chart, ...(note ? { note } : {}) };
}

const REFERENCES: Record<string, Pick<LineSeries, 'color' | 'dashed' | 'mark'>> = {
  random: { color: '#7f7f7f', dashed: true, mark: 'line' },
  'always-weak': { color: '#e69f00', mark: 'points' },
  'always-strong': { color: '#d55e00', mark: 'points' },
  oracle: { color: '#000000', mark: 'both' },
};
const POLICY_COLORS = [
  '#0072b2',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#9467bd',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#1f77b4',
];

function qualityCostSection(value: Record<string, unknown>): ReportSection {
  const series = [...policyCurves(value), ...endToEndPoints(value), ...onlinePoint(value)];
  if (series.length === 0) {
    return {
      id: 'quality-cost',
      note: 'This file has no quality measure: `tokenomics bench routing` or the end-to-end benchmark writes one.',
    };
  }
  const chart = lineChart({
    id: 'quality-cost',
    title: 'Quality against dollars, with the reference routers',
    x: { label: 'dollars', format: 'dollars', includeZero: true },
    y: { label: 'quality', format: 'share' },
    series,
  });
  const present = series.map((entry) => entry.name);
  const missing = Object.keys(REFERENCES).filter((name) => !present.includes(name));
  const note =
    missing.length > 0
      ? `References not in this file: ${missing.join(', ')}.`
      : 'Random, always-weak, always-strong and oracle are the references every router is read against.';
  const facts = endToEndFacts(value);
  return { id: 'quality-cost', chart, note, ...(facts.length > 0 ? { facts } : {}) };
}

/** One sentence per end-to-end run: quality, cost against the baseline, wrong hits, added latency. */
function endToEndFacts(value: Record<string, unknown>): string[] {
  const baseline = objectAt(value, 'baseline');
  const baselineCost = numberAt(baseline, 'cost');
  const baselineQuality = numberAt(baseline, 'quality');
  const reference =
    baselineQuality !== undefined && baselineCost !== undefined
      ? [
          `baseline: quality ${formatValue(baselineQuality, 'share')}, cost ${formatValue(baselineCost, 'dollars')}.`,
        ]
      : [];
  const runs = objectsAt(value, 'runs').map((run) => {
    const parts = [`quality ${formatValue(numberAt(run, 'quality') ?? Number.NaN, 'share')}`];
    const cost = numberAt(run, 'cost');
    const share =
      numberAt(run, 'costShare') ?? (cost !== undefined && baselineCost ? cost / baselineCost : undefined);
    if (cost !== undefined)
      parts.push(
        `cost ${formatValue(cost, 'dollars')}${share !== undefined ? ` (${formatValue(share, 'share')} of the baseline)` : ''}`,
      );
    const wrong = numberAt(run, 'wrongCacheHits');
    if (wrong !== undefined) parts.push(`${wrong} wrong cache hit(s)`);
    const latency = numberAt(run, 'addedLatencyMsP50');
    if (latency !== undefined) parts.push(`${formatValue(latency)} ms added at p50`);
    return `${stringAt(run, 'name') ?? 'run'}: ${parts.join(', ')}.`;
  });
  return runs.length > 0 ? [...reference, ...runs] : [];
}

function policyCurves(value: Record<string, unknown>): LineSeries[] {
  let policyIndex = 0;
  return objectsAt(value, 'policies').flatMap((policy) => {
    const name = stringAt(policy, 'name') ?? 'policy';
    const points = pointsOf(objectsAt(policy, 'curve'), 'cost', 'quality');
    if (points.length === 0) return [];
    const style = REFERENCES[name] ?? {
      color: POLICY_COLORS[policyIndex++ % POLICY_COLORS.length],
      mark: 'line' as const,
    };
    return [{ name, points, ...style }];
  });
}

function endToEndPoints(value: Record<string, unknown>): LineSeries[] {
  const runs = objectsAt(value, 'runs');
  if (runs.length === 0) return [];
  const baseline = objectAt(value, 'baseline');
  const baselinePoint = pointsOf(baseline ? [baseline] : [], 'cost', 'quality');
  let runIndex = 0;
  const series: LineSeries[] = runs.flatMap((run) => {
    const name = stringAt(run, 'name') ?? 'run';
    const points = pointsOf([run], 'cost', 'quality');
    if (points.length === 0) return [];
    const style = REFERENCES[name] ?? { color: POLICY_COLORS[runIndex++ % POLICY_COLORS.length] };
    return [{ name, points, ...style, mark: 'points' as const }];
  });
  if (baselinePoint.length > 0)
    series.unshift({ name: 'baseline', points: baselinePoint, mark: 'points', color: '#7f7f7f' });
  return series;
}

function onlinePoint(value: Record<string, unknown>): LineSeries[] {
  const online = objectAt(value, 'online');
  const points = pointsOf(online ? [online] : [], 'cost', 'quality');
  return points.length > 0
    ? [{ name: `online ${stringAt(online, 'policy') ?? 'router'}`, points, mark: 'points', color: '#b8860b' }]
    : [];
}

function cacheThresholdSection(value: Record<string, unknown>): ReportSection {
  const sweeps = objectsAt(value, 'pairs')
    .map((pairs) => ({
      name: shortName(stringAt(pairs, 'file') ?? 'pairs'),
      sweep: objectsAt(pairs, 'sweep'),
    }))
    .filter((entry) => entry.sweep.length > 0);
  if (sweeps.length === 0 && objectsAt(value, 'sweep').length > 0)
    sweeps.push({
      name: shortName(stringAt(value, 'pairsFile') ?? 'pairs'),
      sweep: objectsAt(value, 'sweep'),
    });
  const series: LineSeries[] = sweeps.flatMap((entry, index) => {
    const color = POLICY_COLORS[index % POLICY_COLORS.length];
    return [
      { name: `precision, ${entry.name}`, points: pointsOf(entry.sweep, 'threshold', 'precision'), color },
      {
        name: `recall, ${entry.name}`,
        points: pointsOf(entry.sweep, 'threshold', 'recall'),
        color,
        dashed: true,
      },
    ];
  });
  series.push(...gptCacheSharedSeries(value));
  if (series.every((entry) => entry.points.length === 0)) {
    return {
      id: 'cache-threshold',
      note: 'This file has no threshold sweep: `tokenomics bench cache --pairs <file> --json <out>` writes one.',
    };
  }
  const chart = lineChart({
    id: 'cache-threshold',
    title: 'Precision (solid) and recall (dashed) of semantic hits against the similarity threshold',
    x: { label: 'similarity threshold' },
    y: { label: 'precision / recall', format: 'share' },
    series,
  });
  const chosen = objectAt(value, 'default');
  const facts =
    chosen && numberAt(chosen, 'precision') !== undefined
      ? [
          `Defaults (threshold ${formatValue(numberAt(chosen, 'threshold') ?? Number.NaN)}): precision ${formatValue(numberAt(chosen, 'precision')!, 'share')}, recall ${formatValue(numberAt(chosen, 'recall') ?? Number.NaN, 'share')}.`,
        ]
      : undefined;
  return { id: 'cache-threshold', chart, facts };
}

function gptCacheSharedSeries(value: Record<string, unknown>): LineSeries[] {
  const points = objectsAt(objectAt(value, 'gptcacheShared'), 'points');
  const precision: ChartPoint[] = [];
  const recall: ChartPoint[] = [];
  for (const point of points) {
    const threshold = numberAt(point, 'threshold');
    const right = numberAt(point, 'rightHits');
    const wrong = numberAt(point, 'wrongHits');
    const n = numberAt(point, 'n');
    if (threshold === undefined || right === undefined || wrong === undefined || !n) continue;
    precision.push({ x: threshold, y: right + wrong > 0 ? right / (right + wrong) : 1 });
    recall.push({ x: threshold, y: right / n });
  }
  if (precision.length === 0) return [];
  return [
    { name: 'precision, GPTCache one-cache replay', points: precision, color: '#7f7f7f' },
    { name: 'recall, GPTCache one-cache replay', points: recall, color: '#7f7f7f', dashed: true },
  ];
}

function compressionSection(value: Record<string, unknown>): ReportSection {
  const rows = [
    ...objectsAt(value, 'nq').map((row) => ({ ...row, workload: 'NQ' })),
    ...objectsAt(value, 'kv').map((row) => ({ ...row, workload: 'key-value' })),
  ];
  const groups = new Map<string, ChartPoint[]>();
  for (const row of rows) {
    const ratio = numberAt(row, 'ratio');
    const retention = numberAt(row, 'retention');
    if (ratio === undefined || retention === undefined) continue;
    const docs = numberAt(row, 'docs');
    const name = `${stringAt(row, 'method') ?? 'method'}, ${row.workload}${docs ? ` ${docs} docs` : ''}`;
    const points = groups.get(name) ?? [];
    points.push({ x: ratio, y: retention });
    groups.set(name, points);
  }
  if (groups.size === 0) {
    return {
      id: 'compression',
      note: 'This file has no compression results: `tokenomics bench compression --json <out>` writes them.',
    };
  }
  // One colour per method; the second document count of a method is dashed.
  const methods = [...new Set([...groups.keys()].map((name) => name.split(',')[0]!))];
  const seenMethods = new Set<string>();
  const series = [...groups].map(([name, points]): LineSeries => {
    const method = name.split(',')[0]!;
    const color = POLICY_COLORS[methods.indexOf(method) % POLICY_COLORS.length];
    const sorted = points.sort((first, second) => first.x - second.x);
    if (name.endsWith('key-value')) return { name, points: sorted, color, mark: 'points' };
    const dashed = seenMethods.has(method);
    seenMethods.add(method);
    return { name, points: sorted, dashed, color };
  });
  const chart = lineChart({
    id: 'compression',
    title: 'Answer retention against compression ratio, per method',
    x: { label: 'compression ratio (×)', includeZero: false },
    y: { label: 'answer retention', format: 'share', includeZero: true },
    series,
  });
  return {
    id: 'compression',
    chart,
    note: 'Up and to the right is better: more compression, more answers kept.',
  };
}

function pointsOf(rows: readonly Record<string, unknown>[], xKey: string, yKey: string): ChartPoint[] {
  return rows.flatMap((row) => {
    const x = numberAt(row, xKey);
    const y = numberAt(row, yKey);
    return x === undefined || y === undefined ? [] : [{ x, y }];
  });
}

function shortName(file: string): string {
  return basename(file);
}
