/**
 * JSON with object keys sorted at every depth, `undefined` fields dropped, and bytes
 * written as hex, so two values that mean the same thing serialize to the same text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, new WeakSet()));
}

function normalize(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return `${value.toString()}n`;
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    return value;
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('hex') };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(new Uint8Array(value)).toString('hex') };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value instanceof URL) return { $url: value.href };
  if (seen.has(value)) throw new TypeError('canonicalJson: circular structure');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => normalize(item, seen) ?? null);
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const normalized = normalize((value as Record<string, unknown>)[key], seen);
      if (normalized !== undefined) result[key] = normalized;
    }
    return result;
  } finally {
    seen.delete(value);
  }
}
