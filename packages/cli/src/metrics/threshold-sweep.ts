/** The thresholds a sweep visits: from `from` to `to` inclusive in steps of `step`, rounded to 2 decimals. */
export function sweepThresholds(from = 0.7, to = 0.98, step = 0.02): number[] {
  if (!(step > 0)) throw new RangeError('sweep step must be positive');
  const thresholds: number[] = [];
  // Integer steps avoid the float drift that would skip the last threshold (0.7 + 14 * 0.02 = 0.9800000000000001).
  const count = Math.floor((to - from) / step + 1e-9);
  for (let index = 0; index <= count; index++) thresholds.push(Math.round((from + index * step) * 100) / 100);
  return thresholds;
}
