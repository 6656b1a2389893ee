import { readFileSync } from 'node:fs';
import { DatasetError } from '../../datasets/dataset-error';
import type { ReplayRecord, RoutingDataset } from './replay-record';

/** Reads a replay JSONL file: one `{id, prompt, group?, models: {<model>: {correct, ...}}}` per line. */
export function importReplay(file: string): RoutingDataset {
  const records: ReplayRecord[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: Partial<ReplayRecord>;
      try {
        parsed = JSON.parse(line) as Partial<ReplayRecord>;
      } catch {
        throw new DatasetError(`${file} line ${index + 1} is not JSON`);
      }
      if (typeof parsed.prompt !== 'string' || typeof parsed.models !== 'object' || parsed.models === null) {
        throw new DatasetError(`${file} line ${index + 1}: expected {id, prompt, models}`);
      }
      for (const [model, outcome] of Object.entries(parsed.models)) {
        if (typeof outcome?.correct !== 'number' || outcome.correct < 0 || outcome.correct > 1) {
          throw new DatasetError(
            `${file} line ${index + 1}: models["${model}"].correct must be a number in [0, 1]`,
          );
        }
      }
      records.push({
        id: parsed.id === undefined ? String(index) : String(parsed.id),
        prompt: parsed.prompt,
        ...(typeof parsed.group === 'string' ? { group: parsed.group } : {}),
        models: parsed.models,
      });
    });
  return { format: 'replay', records, prices: {}, notes: [`replay JSONL: ${records.length} requests`] };
}
