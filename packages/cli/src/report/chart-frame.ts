import { formatValue, type ValueFormat } from './chart-format';
import { type LinearScale, linearScale } from './chart-scale';
import { escapeXml } from './escape-xml';

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 380;
const MARGIN = { top: 24, right: 24, bottom: 56, left: 76 };

/** A palette that stays legible for the common kinds of colour blindness (Okabe–Ito). */
export const PALETTE = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#7f7f7f',
  '#000000',
];

export type Axis = { label: string; format?: ValueFormat; includeZero?: boolean };

export type PlotArea = { left: number; right: number; top: number; bottom: number };

export type ChartFrame = { x: LinearScale; y: LinearScale; area: PlotArea; svg: string };

/** The plot area, grid lines, ticks and axis labels for a chart over the given values. */
export function chartFrame(
  xValues: readonly number[],
  yValues: readonly number[],
  axes: { x: Axis; y: Axis },
  options: { xTicks?: boolean } = {},
): ChartFrame {
  const left = MARGIN.left;
  const right = CHART_WIDTH - MARGIN.right;
  const top = MARGIN.top;
  const bottom = CHART_HEIGHT - MARGIN.bottom;
  const x = linearScale(xValues, [left, right], {
    includeZero: axes.x.includeZero,
    integer: axes.x.format === 'count',
  });
  const y = linearScale(yValues, [bottom, top], {
    includeZero: axes.y.includeZero,
    integer: axes.y.format === 'count',
  });
  const parts: string[] = [];
  for (const tick of y.ticks) {
    const at = y(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${left}" x2="${right}" y1="${at}" y2="${at}"/>`);
    parts.push(
      `<text class="tick" x="${left - 8}" y="${at}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatValue(tick, axes.y.format))}</text>`,
    );
  }
  for (const tick of options.xTicks === false ? [] : x.ticks) {
    const at = x(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${at}" x2="${at}" y1="${top}" y2="${bottom}"/>`);
    parts.push(
      `<text class="tick" x="${at}" y="${bottom + 18}" text-anchor="middle">${escapeXml(formatValue(tick, axes.x.format))}</text>`,
    );
  }
  parts.push(
    `<rect class="plot-border" x="${left}" y="${top}" width="${right - left}" height="${bottom - top}"/>`,
  );
  parts.push(
    `<text class="axis-label" x="${(left + right) / 2}" y="${CHART_HEIGHT - 12}" text-anchor="middle">${escapeXml(axes.x.label)}</text>`,
  );
  parts.push(
    `<text class="axis-label" transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(axes.y.label)}</text>`,
  );
  return { x, y, area: { left, right, top, bottom }, svg: parts.join('') };
}

/** Wraps chart content in an `<svg>` that scales with its container; `points` counts data marks. */
export function svgDocument(options: { id: string; title: string; points: number; body: string }): string {
  return `<svg class="chart" data-chart="${escapeXml(options.id)}" data-points="${options.points}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-label="${escapeXml(options.title)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(options.title)}</title>${options.body}</svg>`;
}

/** An HTML legend (wraps better than one drawn in SVG) with each series' colour and dash. */
export function legendHtml(
  entries: ReadonlyArray<{ name: string; color: string; dashed?: boolean; dot?: boolean }>,
): string {
  const items = entries.map((entry) => {
    const kind = entry.dot ? ' dot' : entry.dashed ? ' dashed' : '';
    return `<li><span class="swatch${kind}" style="--swatch:${entry.color}"></span>${escapeXml(entry.name)}</li>`;
  });
  return `<ul class="legend">${items.join('')}</ul>`;
}
