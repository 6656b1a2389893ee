import { createJsonlAppender } from './jsonl-appender';
import type { LedgerRecord, LedgerSink } from './types';

/** Appends each record as one JSON line to `path` (parent folders are created), in order. */
export function createJsonlLedgerSink(path: string): LedgerSink & { flush(): Promise<void> } {
  const appender = createJsonlAppender(path);
  return { write: (record) => appender.append(record), flush: () => appender.flush() };
}

/**
 * Reads records written by `createJsonlLedgerSink`. A line that is not a record (a torn last line
 * after a crash, a hand edit) is skipped and reported to `onInvalidLine`, never thrown.
 * A missing file reads as no records.
 */
export async function readJsonlLedger(
  path: string,
  options: { onInvalidLine?: (lineNumber: number, reason: string) => void } = {},
): Promise<LedgerRecord[]> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: LedgerRecord[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim().length === 0) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isLedgerRecord(value)) records.push(value);
      else options.onInvalidLine?.(index + 1, 'not a ledger record');
    } catch (error) {
      options.onInvalidLine?.(index + 1, error instanceof Error ? error.message : String(error));
    }
  }
  return records;
}

function isLedgerRecord(value: unknown): value is LedgerRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<LedgerRecord>;
  return (
    typeof record.traceId === 'string' &&
    typeof record.model === 'string' &&
    typeof record.at === 'number' &&
    typeof record.stage === 'string' &&
    typeof record.priceKnown === 'boolean' &&
    typeof record.spent?.tokens === 'number' &&
    typeof record.spent.dollars === 'number' &&
    typeof record.baseline?.tokens === 'number' &&
    typeof record.baseline.dollars === 'number' &&
    typeof record.saved?.tokens === 'number' &&
    typeof record.saved.dollars === 'number'
  );
}
