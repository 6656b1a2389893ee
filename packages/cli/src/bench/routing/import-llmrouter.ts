import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../../datasets/dataset-error';
import type { ModelPrice, ReplayRecord, RoutingDataset } from './replay-record';

/**
 * Reads LLMRouter's JSON (`[{question, scores: {<model>: 0|1}}]`). `path` is one file or a folder
 * holding `train.json` / `test.json` (both are read; the file becomes the `group`). Prices come from
 * `default_llm.json` beside the data (`input_price` / `output_price` per million tokens).
 */
export function importLlmRouter(path: string): RoutingDataset {
  const isFolder = statSync(path).isDirectory();
  const folder = isFolder ? path : dirname(path);
  const files = isFolder
    ? ['train.json', 'test.json'].map((name) => join(path, name)).filter((file) => existsSync(file))
    : [path];
  if (files.length === 0) throw new DatasetError(`no LLMRouter train.json / test.json in ${path}`);
  const records: ReplayRecord[] = [];
  for (const file of files) {
    const group = basename(file, '.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(parsed)) throw new DatasetError(`${file} is not a JSON array`);
    parsed.forEach((item: unknown, index) => {
      const row = item as { question?: unknown; scores?: unknown };
      if (typeof row.question !== 'string' || typeof row.scores !== 'object' || row.scores === null) {
        throw new DatasetError(`${file} item ${index}: expected {question, scores}`);
      }
      const models: ReplayRecord['models'] = {};
      for (const [model, score] of Object.entries(row.scores as Record<string, unknown>)) {
        if (typeof score !== 'number')
          throw new DatasetError(`${file} item ${index}: score of ${model} is not a number`);
        models[model] = { correct: score };
      }
      records.push({ id: `${group}-${index}`, prompt: row.question, group, models });
    });
  }
  return {
    format: 'llmrouter',
    records,
    prices: readLlmRouterPrices(join(folder, 'default_llm.json')),
    notes: [
      `LLMRouter JSON: ${records.length} questions from ${files.map((file) => basename(file)).join(', ')}`,
    ],
  };
}

function readLlmRouterPrices(file: string): Record<string, ModelPrice> {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    { input_price?: number; output_price?: number }
  >;
  const prices: Record<string, ModelPrice> = {};
  for (const [model, entry] of Object.entries(parsed)) {
    if (typeof entry.input_price === 'number' && typeof entry.output_price === 'number') {
      prices[model] = { inputPerMillion: entry.input_price, outputPerMillion: entry.output_price };
    }
  }
  return prices;
}
