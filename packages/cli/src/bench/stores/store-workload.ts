import type { CacheEntryRecord, CacheEntryStore } from '@tokenomics/core';
import { seededUniform } from '../seeded-uniform';

/** Payload bytes per entry: about what a short cached chat answer takes once encoded. */
export const PAYLOAD_BYTES = 600;

export type OperationSamples = { lookupMs: number[]; writeMs: number[]; elapsedMs: number };

export function entryKey(index: number): string {
  return `bench-entry-${index.toString(36).padStart(6, '0')}`;
}

export function entryRecord(key: string, createdAt: number): CacheEntryRecord {
  const payload = JSON.stringify({ v: 1, answer: key.padEnd(PAYLOAD_BYTES, '.') });
  return {
    key,
    partition: 'bench-partition',
    scopeKey: 'bench-scope',
    payload,
    tags: ['bench'],
    createdAt,
    size: Buffer.byteLength(payload),
  };
}

/** Writes `entries` records, `from` on, one `set` each (as a cache does). */
export async function fillStore(store: CacheEntryStore, entries: number, from = 0): Promise<void> {
  for (let index = from; index < entries; index++) await store.set(entryRecord(entryKey(index), index));
}

/**
 * The timed part: `operations` rounds of one exact lookup of a random stored key (always a hit)
 * and one write of a new key, each timed on its own. `client` seeds the random keys and names
 * the new keys, so clients sharing one file never write the same key.
 */
export async function runOperations(
  store: CacheEntryStore,
  options: { entries: number; operations: number; client: number },
): Promise<OperationSamples> {
  const random = seededUniform(options.client + 1);
  const lookupMs: number[] = [];
  const writeMs: number[] = [];
  const started = performance.now();
  for (let operation = 0; operation < options.operations; operation++) {
    const key = entryKey(Math.floor(random() * options.entries));
    let at = performance.now();
    const found = await store.get(key);
    lookupMs.push(performance.now() - at);
    if (!found) throw new Error(`bench stores: stored entry ${key} not found`);
    const record = entryRecord(`client-${options.client}-${operation}`, Date.now());
    at = performance.now();
    await store.set(record);
    writeMs.push(performance.now() - at);
  }
  return { lookupMs, writeMs, elapsedMs: performance.now() - started };
}
