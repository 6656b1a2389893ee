import { formatValue } from './chart-format';
import { type Axis, CHART_HEIGHT, chartFrame, legendHtml, PALETTE, svgDocument } from './chart-frame';
import { escapeXml } from './escape-xml';

export type BarGroup = { name: string; values: readonly number[] };

export type BarChartOptions = {
  id: string;
  title: string;
  /** One cluster of bars per category (e.g. a stage), one bar per group (e.g. a run) inside it. */
  categories: readonly string[];
  groups: readonly BarGroup[];
  y: Axis;
};

/** Grouped vertical bars from zero (negative values go below the zero line). */
export function barChart(options: BarChartOptions): string {
  const values = options.groups.flatMap((group) => group.values);
  const slots = options.categories.length;
  const frame = chartFrame(
    [0, slots],
    values,
    { x: { label: '' }, y: { ...options.y, includeZero: true } },
    { xTicks: false },
  );
  const plotLeft = frame.area.left;
  const slotWidth = (frame.area.right - plotLeft) / Math.max(1, slots);
  const barWidth = (slotWidth * 0.7) / Math.max(1, options.groups.length);
  const zero = frame.y(0);
  const bars: string[] = [];
  options.groups.forEach((group, groupIndex) => {
    const color = PALETTE[groupIndex % PALETTE.length]!;
    group.values.forEach((value, categoryIndex) => {
      const x = plotLeft + slotWidth * categoryIndex + slotWidth * 0.15 + barWidth * groupIndex;
      const y = frame.y(value);
      const tip = `${group.name}, ${options.categories[categoryIndex]}: ${formatValue(value, options.y.format)}`;
      bars.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${Math.min(y, zero).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.abs(zero - y).toFixed(1)}" fill="${color}"><title>${escapeXml(tip)}</title></rect>`,
      );
    });
  });
  const labels = options.categories.map(
    (category, index) =>
      `<text class="category" x="${(plotLeft + slotWidth * (index + 0.5)).toFixed(1)}" y="${CHART_HEIGHT - 30}" text-anchor="middle">${escapeXml(category)}</text>`,
  );
  const zeroLine = `<line class="zero" x1="${plotLeft}" x2="${frame.area.right}" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}"/>`;
  const body = frame.svg + bars.join('') + zeroLine + labels.join('');
  const svg = svgDocument({ id: options.id, title: options.title, points: bars.length, body });
  return options.groups.length > 1
    ? svg +
        legendHtml(
          options.groups.map((group, index) => ({
            name: group.name,
            color: PALETTE[index % PALETTE.length]!,
          })),
        )
    : svg;
}
