import { isPlainObject } from './read-report-input';

/** Readers for benchmark JSON of any version: a missing or mistyped field reads as undefined. */
export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  const field = isPlainObject(value) ? value[key] : undefined;
  return isPlainObject(field) ? field : undefined;
}

export function objectsAt(value: unknown, key: string): Record<string, unknown>[] {
  const field = isPlainObject(value) ? value[key] : undefined;
  return Array.isArray(field) ? field.filter(isPlainObject) : [];
}

export function numberAt(value: unknown, key: string): number | undefined {
  const field = isPlainObject(value) ? value[key] : undefined;
  return typeof field === 'number' && Number.isFinite(field) ? field : undefined;
}

export function stringAt(value: unknown, key: string): string | undefined {
  const field = isPlainObject(value) ? value[key] : undefined;
  return typeof field === 'string' ? field : undefined;
}
