import { readFileSync } from 'node:fs';
import { DatasetError } from '../../datasets/dataset-error';
import { parseCsv } from './parse-csv';
import type { ReplayRecord, RoutingDataset } from './replay-record';

const RESPONSE_SUFFIX = '|model_response';
const COST_SUFFIX = '|total_cost';
const KNOWN_COLUMNS = new Set(['sample_id', 'prompt', 'eval_name', 'oracle_model_to_route_to', '']);

/**
 * Reads RouterBench's CSV: `sample_id`, `prompt`, `eval_name` (the benchmark, used as `group`),
 * one 0/1 (or fractional) column per model, `<model>|model_response` and `<model>|total_cost`.
 */
export function importRouterBench(file: string): RoutingDataset {
  const rows = parseCsv(readFileSync(file, 'utf8'));
  const columns = Object.keys(rows[0] ?? {});
  if (!columns.includes('prompt') || !columns.includes('sample_id')) {
    throw new DatasetError(`${file} has no "sample_id" / "prompt" columns`);
  }
  const models = columns.filter((column) => !KNOWN_COLUMNS.has(column) && !column.includes('|'));
  const records: ReplayRecord[] = rows.map((row, index) => {
    const outcomes: ReplayRecord['models'] = {};
    for (const model of models) {
      const correct = Number(row[model]);
      if (!Number.isFinite(correct)) {
        throw new DatasetError(`${file} row ${index + 2}: "${model}" is "${row[model]}", expected a number`);
      }
      const response = row[`${model}${RESPONSE_SUFFIX}`];
      const cost = Number(row[`${model}${COST_SUFFIX}`]);
      outcomes[model] = {
        correct,
        ...(response !== undefined ? { response } : {}),
        ...(row[`${model}${COST_SUFFIX}`] !== undefined &&
        row[`${model}${COST_SUFFIX}`] !== '' &&
        Number.isFinite(cost)
          ? { cost }
          : {}),
      };
    }
    return {
      id: row.sample_id || String(index),
      prompt: row.prompt ?? '',
      ...(row.eval_name ? { group: row.eval_name } : {}),
      models: outcomes,
    };
  });
  return {
    format: 'routerbench',
    records,
    prices: {},
    notes: [`RouterBench CSV: ${records.length} prompts, ${models.length} models`],
  };
}
