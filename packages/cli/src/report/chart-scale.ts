/** A linear map from a data range onto a pixel range, with round tick values. */
export type LinearScale = {
  (value: number): number;
  ticks: number[];
  domain: [number, number];
};

/**
 * A scale whose domain is widened to round numbers (about `tickCount` ticks) so the axis
 * labels read 0, 0.2, 0.4 rather than 0.013, 0.217. A flat range is widened around its value.
 */
export function linearScale(
  values: readonly number[],
  range: [number, number],
  options: { tickCount?: number; includeZero?: boolean; integer?: boolean } = {},
): LinearScale {
  // A loop, not Math.min(...values): a long ledger has more values than a call takes arguments.
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) {
    low = 0;
    high = 1;
  }
  if (options.includeZero) {
    low = Math.min(low, 0);
    high = Math.max(high, 0);
  }
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const rough = niceStep((high - low) / (options.tickCount ?? 5));
  // Counts (calls, prompts) tick on whole numbers: no '1.5 prompts'.
  const step = options.integer ? Math.max(1, rough) : rough;
  const domainLow = Math.floor(low / step) * step;
  const domainHigh = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = domainLow; tick <= domainHigh + step / 2; tick += step) ticks.push(roundToStep(tick, step));
  const scale = ((value: number) =>
    range[0] + ((value - domainLow) / (domainHigh - domainLow)) * (range[1] - range[0])) as LinearScale;
  scale.ticks = ticks;
  scale.domain = [domainLow, domainHigh];
  return scale;
}

/** The round step (1, 2 or 5 times a power of ten) nearest above `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Removes floating-point noise (0.30000000000000004) from a tick. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}
