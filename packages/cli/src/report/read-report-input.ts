import { readFile } from 'node:fs/promises';
import { type LedgerRecord, readJsonlLedger } from '@tokenomics/core';
import { DatasetError } from '../datasets';

/** What `tokenomics report` was given: a cost ledger, or a benchmark's JSON output. */
export type ReportInput =
  | { kind: 'ledger'; file: string; records: LedgerRecord[]; skippedLines: number }
  | { kind: 'json'; file: string; value: Record<string, unknown> };

/**
 * Reads a ledger (JSON lines, as `createJsonlLedgerSink` writes them) or a benchmark JSON file.
 * A file that parses as one JSON object other than a ledger record is a benchmark's output; any
 * other text is read line by line as a ledger, skipping lines that are not records.
 */
export async function readReportInput(file: string): Promise<ReportInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DatasetError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const whole = parseJson(text);
  if (isPlainObject(whole) && !looksLikeLedgerRecord(whole)) return { kind: 'json', file, value: whole };
  let skippedLines = 0;
  const records = await readJsonlLedger(file, { onInvalidLine: () => skippedLines++ });
  if (records.length === 0) {
    throw new DatasetError(
      `${file} is neither a benchmark's JSON object nor a ledger with any record (${skippedLines} line(s) skipped)`,
    );
  }
  return { kind: 'ledger', file, records, skippedLines };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeLedgerRecord(value: Record<string, unknown>): boolean {
  return typeof value.traceId === 'string' && typeof value.stage === 'string' && isPlainObject(value.saved);
}
