/** How a chart writes the numbers of an axis and of a point's tooltip. */
export type ValueFormat = 'number' | 'dollars' | 'share' | 'count';

export function formatValue(value: number, format: ValueFormat = 'number'): string {
  if (!Number.isFinite(value)) return String(value);
  switch (format) {
    case 'dollars':
      return formatDollarValue(value);
    case 'share':
      return `${Number((value * 100).toPrecision(3))}%`;
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    default:
      return Math.abs(value) >= 1000
        ? Math.round(value).toLocaleString('en-US')
        : String(Number(value.toPrecision(3)));
  }
}

function formatDollarValue(value: number): string {
  const sign = value < 0 ? '-' : '';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '$0';
  if (magnitude >= 100) return `${sign}$${Math.round(magnitude).toLocaleString('en-US')}`;
  if (magnitude >= 0.01) return `${sign}$${magnitude.toFixed(2)}`;
  return `${sign}$${Number(magnitude.toPrecision(2))}`;
}
