import { formatValue } from './chart-format';
import { type Axis, chartFrame, legendHtml, PALETTE, svgDocument } from './chart-frame';
import { escapeXml } from './escape-xml';

export type ChartPoint = { x: number; y: number; label?: string };

export type LineSeries = {
  name: string;
  points: readonly ChartPoint[];
  /** 'line' joins the points in order; 'points' marks each one; 'both' does both. Default 'both'. */
  mark?: 'line' | 'points' | 'both';
  dashed?: boolean;
  color?: string;
};

export type LineChartOptions = {
  id: string;
  title: string;
  x: Axis;
  y: Axis;
  series: readonly LineSeries[];
};

/** A chart of one or more series of points on linear axes, as inline SVG plus an HTML legend. */
export function lineChart(options: LineChartOptions): string {
  const series = options.series.filter((entry) => entry.points.length > 0);
  const all = series.flatMap((entry) => entry.points);
  const frame = chartFrame(
    all.map((point) => point.x),
    all.map((point) => point.y),
    options,
  );
  const colored = series.map((entry, index) => ({
    ...entry,
    color: entry.color ?? PALETTE[index % PALETTE.length]!,
  }));
  const marks = colored.map((entry) => seriesMarks(entry, frame, options)).join('');
  const svg = svgDocument({
    id: options.id,
    title: options.title,
    points: all.length,
    body: frame.svg + marks,
  });
  const legend = colored.map((entry) => ({
    ...entry,
    dot: entry.mark === 'points' || entry.points.length === 1,
  }));
  return svg + legendHtml(legend);
}

function seriesMarks(
  series: LineSeries & { color: string },
  frame: ReturnType<typeof chartFrame>,
  axes: { x: Axis; y: Axis },
): string {
  const mark = series.mark ?? 'both';
  const coordinates = series.points.map((point) => [frame.x(point.x), frame.y(point.y)] as const);
  let svg = `<g class="series" data-series="${escapeXml(series.name)}">`;
  if (mark !== 'points' && coordinates.length > 1) {
    const path = coordinates
      .map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`)
      .join('');
    svg += `<path class="line" d="${path}" stroke="${series.color}"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
  }
  if (mark !== 'line' || coordinates.length === 1) {
    const radius = mark === 'points' || coordinates.length === 1 ? 4.5 : 3;
    svg += series.points
      .map((point, index) => {
        const [x, y] = coordinates[index]!;
        const tip = `${series.name}${point.label ? ` (${point.label})` : ''}: ${axes.x.label} ${formatValue(point.x, axes.x.format)}, ${axes.y.label} ${formatValue(point.y, axes.y.format)}`;
        return `<circle class="point" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius}" fill="${series.color}"><title>${escapeXml(tip)}</title></circle>`;
      })
      .join('');
  }
  return `${svg}</g>`;
}
