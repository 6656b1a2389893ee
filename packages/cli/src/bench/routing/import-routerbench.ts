import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from '../../datasets/dataset-error';
import { parseCsv } from './parse-csv';
import { parsePythonStringList } from './python-literal';
import type { ReplayRecord, RoutingDataset } from './replay-record';

const RESPONSE_SUFFIX = '|model_response';
const COST_SUFFIX = '|total_cost';
const KNOWN_COLUMNS = new Set(['sample_id', 'prompt', 'eval_name', 'oracle_model_to_route_to', '']);

/**
 * Reads RouterBench's CSV files as they are published: a `.csv` or `.csv.gz` file, or a folder of
 * them (e.g. `arc_challenge_{train,test}.csv.gz`, `mbpp_*`). Columns: `sample_id`, `prompt` (a
 * Python-literal list holding the prompt), `eval_name` (the benchmark, used as `group`), one 0/1
 * (or fractional) column per model, `<model>|model_response` (a Python-literal list) and
 * `<model>|total_cost` (dollars).
 */
export function importRouterBench(path: string): RoutingDataset {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => /\.csv(\.gz)?$/.test(name))
        .sort()
        .map((name) => join(path, name))
    : [path];
  if (files.length === 0) throw new DatasetError(`${path} holds no .csv or .csv.gz file`);
  const records: ReplayRecord[] = [];
  const models = new Set<string>();
  let missing = 0;
  for (const file of files) {
    const imported = importRouterBenchFile(file);
    records.push(...imported.records);
    for (const model of imported.models) models.add(model);
    missing += imported.missing;
  }
  const notes = [
    `RouterBench CSV (${files.length} file(s)): ${records.length} prompts, ${models.size} models`,
  ];
  if (missing > 0)
    notes.push(`${missing} model outcome(s) with no recorded correctness left out of their rows`);
  return { format: 'routerbench', records, prices: {}, notes };
}

/** The text of a `.csv` or gzip-compressed `.csv.gz` file. */
export function readMaybeGzip(file: string): string {
  const bytes = readFileSync(file);
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
}

function importRouterBenchFile(file: string): { records: ReplayRecord[]; models: string[]; missing: number } {
  const rows = parseCsv(readMaybeGzip(file));
  const columns = Object.keys(rows[0] ?? {});
  if (!columns.includes('prompt') || !columns.includes('sample_id')) {
    throw new DatasetError(`${file} has no "sample_id" / "prompt" columns`);
  }
  const models = columns.filter((column) => !KNOWN_COLUMNS.has(column) && !column.includes('|'));
  let missing = 0;
  const records = rows.map((row, index): ReplayRecord => {
    const outcomes: ReplayRecord['models'] = {};
    for (const model of models) {
      // A few published rows lack one model's result: that model is left out of the row.
      if (row[model] === '') {
        missing++;
        continue;
      }
      const correct = Number(row[model]);
      if (!Number.isFinite(correct)) {
        throw new DatasetError(`${file} row ${index + 2}: "${model}" is "${row[model]}", expected a number`);
      }
      const response = row[`${model}${RESPONSE_SUFFIX}`];
      const costText = row[`${model}${COST_SUFFIX}`];
      const cost = Number(costText);
      outcomes[model] = {
        correct,
        ...(response !== undefined ? { response: literalText(response) } : {}),
        ...(costText !== undefined && costText !== '' && Number.isFinite(cost) ? { cost } : {}),
      };
    }
    return {
      id: row.sample_id || `${file}:${index}`,
      prompt: literalText(row.prompt ?? ''),
      ...(row.eval_name ? { group: row.eval_name } : {}),
      models: outcomes,
    };
  });
  return { records, models, missing };
}

/** A Python-literal list's strings joined by blank lines; any other text as it is. */
function literalText(value: string): string {
  return parsePythonStringList(value)?.join('\n\n') ?? value;
}
