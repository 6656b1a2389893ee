import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../../datasets/dataset-error';
import { parseCsv } from './parse-csv';
import type { ModelPrice, ReplayRecord, RoutingDataset } from './replay-record';

/**
 * The RouteLLM paper's blended prices (dollars per million tokens, input and output alike):
 * GPT-4 about $24.7, Mixtral 8x7B about $0.24.
 */
export const ROUTELLM_PRICES: Record<string, ModelPrice> = {
  'gpt-4-1106-preview': { inputPerMillion: 24.7, outputPerMillion: 24.7 },
  'mistralai/Mixtral-8x7B-Instruct-v0.1': { inputPerMillion: 0.24, outputPerMillion: 0.24 },
};

const RESPONSE_SUFFIX = '_response';

/**
 * Reads RouteLLM evaluation CSVs: a `prompt` column, one True/False column per model and an
 * optional `<model>_response` column. `path` is one CSV or a folder of them (the 57 MMLU subject
 * files are one dataset; each file's subject becomes the record's `group`). Prompts listed in
 * `contaminated_prompts.jsonl` beside the files are dropped: they overlap the router's training data.
 */
export function importRouteLlm(path: string): RoutingDataset {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => name.endsWith('.csv'))
        .sort()
        .map((name) => join(path, name))
    : [path];
  if (files.length === 0) throw new DatasetError(`no RouteLLM CSV files in ${path}`);
  const contaminated = readContaminated(statSync(path).isDirectory() ? path : dirname(path));
  const records: ReplayRecord[] = [];
  let dropped = 0;
  for (const file of files) {
    const group = basename(file, '.csv')
      .replace(/^mmlu_/, '')
      .replace(/_responses$/, '');
    const rows = parseCsv(readFileSync(file, 'utf8'));
    const columns = Object.keys(rows[0] ?? {});
    if (!columns.includes('prompt')) throw new DatasetError(`${file} has no "prompt" column`);
    const models = columns.filter(
      (column) => column !== 'prompt' && !column.endsWith(RESPONSE_SUFFIX) && column.trim() !== '',
    );
    rows.forEach((row, index) => {
      const prompt = row.prompt ?? '';
      if (contaminated.has(prompt.trim())) {
        dropped++;
        return;
      }
      const outcomes: ReplayRecord['models'] = {};
      for (const model of models) {
        const value = (row[model] ?? '').trim().toLowerCase();
        if (value !== 'true' && value !== 'false') {
          throw new DatasetError(
            `${file} row ${index + 2}: "${model}" is "${row[model]}", expected True/False`,
          );
        }
        const response = row[`${model}${RESPONSE_SUFFIX}`];
        outcomes[model] = {
          correct: value === 'true' ? 1 : 0,
          ...(response !== undefined ? { response } : {}),
        };
      }
      records.push({ id: `${group}-${index}`, prompt, group, models: outcomes });
    });
  }
  const notes = [
    `RouteLLM CSV: ${files.length} file(s), ${records.length} prompts`,
    contaminated.size > 0 ? `dropped ${dropped} contaminated prompts` : 'no contaminated_prompts.jsonl found',
  ];
  return { format: 'routellm', records, prices: { ...ROUTELLM_PRICES }, notes };
}

/** The prompts RouteLLM lists as overlapping its training data (trimmed). */
export function readContaminated(folder: string): Set<string> {
  const file = join(folder, 'contaminated_prompts.jsonl');
  if (!existsSync(file)) return new Set();
  const prompts = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    for (const key of ['eval_prompt', 'prompt']) {
      const value = parsed[key];
      if (typeof value === 'string') prompts.add(value.trim());
    }
  }
  return prompts;
}
