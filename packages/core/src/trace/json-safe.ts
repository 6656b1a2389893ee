/** A value `JSON.stringify` round-trips unchanged (the shape AI SDK provider metadata requires). */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 8;
const MAX_STRING = 2_000;
const MAX_ITEMS = 100;

/**
 * A JSON-safe copy of `value`, small enough to travel in metadata and logs: undefined, functions
 * and symbols dropped, non-finite numbers as null, bigint and dates as strings, errors as
 * name + message, binary data and vectors as a short description (an embedding in a trace would
 * be kilobytes of noise), cycles and deep nesting cut, long strings and arrays shortened.
 */
export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, 0, new WeakSet());
}

function convert(value: unknown, depth: number, seen: WeakSet<object>): JsonValue {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_STRING
        ? `${value.slice(0, MAX_STRING)}…(+${value.length - MAX_STRING} chars)`
        : value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // undefined, functions and symbols have no JSON form.
      return null;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (ArrayBuffer.isView(value))
    return `[${value.constructor.name} length=${(value as { length?: number }).length ?? value.byteLength}]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer byteLength=${value.byteLength}]`;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) return convertList([...value], depth, seen);
    if (value instanceof Map) return convertList([...value.entries()], depth, seen);
    const result: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      result[key] = convert(item, depth + 1, seen);
    }
    return result;
  } finally {
    // Only ancestors count as cycles; the same object twice side by side is fine.
    seen.delete(value);
  }
}

function convertList(items: unknown[], depth: number, seen: WeakSet<object>): JsonValue[] {
  const converted = items.slice(0, MAX_ITEMS).map((item) => convert(item, depth + 1, seen));
  if (items.length > MAX_ITEMS) converted.push(`…(+${items.length - MAX_ITEMS} more)`);
  return converted;
}
