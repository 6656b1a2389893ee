/**
 * Copying and freezing of plain JSON data (what `JSON.parse` returns, plus typed arrays, which
 * are left as they are: they cannot be frozen and are never handed to users).
 */

/** Freezes the value and everything inside it, so a memoized value can be shared safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || Object.isFrozen(value))
    return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/** A fresh deep copy, so a caller can mutate what it got without touching the original. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  return copy as T;
}
