import type { LedgerRecord, LedgerSink } from './types';

/**
 * Appends each record as one JSON line to `path` (parent folders are created). Records that arrive
 * together are appended in one write, in order. `node:fs` is imported on first write, so importing
 * core stays possible where there is no file system.
 */
export function createJsonlLedgerSink(path: string): LedgerSink & { flush(): Promise<void> } {
  let queued: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let folderReady: Promise<void> | undefined;

  function drain(): Promise<void> {
    // A failed append is reported to the caller that waited on it; later records still get written.
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        if (queued.length === 0) return;
        const lines = queued.join('');
        queued = [];
        const { appendFile, mkdir } = await import('node:fs/promises');
        const { dirname } = await import('node:path');
        folderReady ??= mkdir(dirname(path), { recursive: true }).then(() => undefined);
        await folderReady;
        await appendFile(path, lines, 'utf8');
      });
    return writing;
  }

  return {
    write(record) {
      queued.push(`${JSON.stringify(record)}\n`);
      return drain();
    },
    flush: () => drain(),
  };
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
