import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset-error';

/**
 * A question pair: `a` is stored, `b` is asked; label 1 when `a`'s answer also answers `b`.
 * `kind` (optional, e.g. 'paraphrase', 'number', 'entity') groups the results when present.
 */
export type LabelledPair = { a: string; b: string; label: 0 | 1; kind?: string };

/**
 * Reads a JSONL file of `{"a", "b", "label": 0|1}` (gzip-compressed when the name ends in `.gz`,
 * as the shared QQP pairs are); blank lines are skipped, other fields ignored.
 */
export async function readLabelledPairs(path: string): Promise<LabelledPair[]> {
  let text: string;
  try {
    const bytes = await readFile(path);
    text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (error) {
    throw new DatasetError(`Cannot read pairs file ${path}: ${(error as Error).message}`);
  }
  return parseLabelledPairs(text, path);
}

export function parseLabelledPairs(text: string, source = 'pairs'): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line.length === 0) continue;
    const where = `${source}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DatasetError(`${where}: not valid JSON`);
    }
    const record = value as Record<string, unknown>;
    if (typeof record?.a !== 'string' || typeof record.b !== 'string') {
      throw new DatasetError(`${where}: "a" and "b" must be strings`);
    }
    const label = record.label === true ? 1 : record.label === false ? 0 : record.label;
    if (label !== 0 && label !== 1) throw new DatasetError(`${where}: "label" must be 0 or 1`);
    pairs.push({
      a: record.a,
      b: record.b,
      label,
      ...(typeof record.kind === 'string' ? { kind: record.kind } : {}),
    });
  }
  return pairs;
}

export function formatLabelledPairs(pairs: readonly LabelledPair[]): string {
  return pairs.map((pair) => JSON.stringify(pair)).join('\n') + '\n';
}
