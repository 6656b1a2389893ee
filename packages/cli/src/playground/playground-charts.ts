import { barChart } from '../report/bar-chart';
import { lineChart } from '../report/line-chart';
import type { PlaygroundTotals } from './playground-turn';

/** The running savings chart and the savings by stage, as HTML the page drops in place. */
export function playgroundCharts(totals: PlaygroundTotals): { running: string; byStage: string } {
  if (totals.turns === 0) {
    const empty = '<p class="note">Send a prompt: the chart starts with the first answer.</p>';
    return { running: empty, byStage: empty };
  }
  const running = lineChart({
    id: 'playground-running',
    title: 'Cumulative dollars: spent against the baseline',
    x: { label: 'prompts', format: 'count' },
    y: { label: 'cumulative dollars', format: 'dollars', includeZero: true },
    series: [
      {
        name: 'baseline (strong model, uncompressed, no cache)',
        points: totals.running.map((point) => ({ x: point.turn, y: point.baselineDollars })),
        dashed: true,
        color: '#7f7f7f',
      },
      {
        name: 'spent',
        points: totals.running.map((point) => ({ x: point.turn, y: point.dollars })),
        color: '#0072b2',
      },
    ],
  });
  const stages = ['cache', 'compression', 'routing'] as const;
  const byStage = barChart({
    id: 'playground-stages',
    title: 'Dollars saved by each stage',
    categories: [...stages],
    groups: [{ name: 'saved', values: stages.map((stage) => totals.savedByStage[stage]) }],
    y: { label: 'dollars saved', format: 'dollars' },
  });
  return { running, byStage };
}
