/** Milliseconds with enough digits to tell microsecond-scale lookups apart. */
export function formatMs(ms: number): string {
  if (ms < 0.01) return ms.toFixed(4);
  if (ms < 1) return ms.toFixed(3);
  if (ms < 100) return ms.toFixed(2);
  return ms.toFixed(0);
}

export function formatRatio(value: number): string {
  return value.toFixed(3);
}

/** Dollars with sub-cent precision: cached calls to small models save fractions of a cent. */
export function formatDollars(dollars: number): string {
  return `$${dollars.toFixed(6)}`;
}
