import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../datasets/dataset-error';
import { importLlmRouter } from './import-llmrouter';
import { importReplay } from './import-replay';
import { importRouteLlm } from './import-routellm';
import { importRouterBench, readMaybeGzip } from './import-routerbench';
import type { RoutingDataset, RoutingFormat } from './replay-record';

/** Loads a file or folder in the given format, or detects the format from the files. */
export function loadRoutingData(path: string, format?: RoutingFormat): RoutingDataset {
  if (!existsSync(path)) throw new DatasetError(`${path} does not exist`);
  const chosen = format ?? detectRoutingFormat(path);
  switch (chosen) {
    case 'replay':
      return importReplay(path);
    case 'routellm':
      return importRouteLlm(path);
    case 'routerbench':
      return importRouterBench(path);
    case 'llmrouter':
      return importLlmRouter(path);
  }
}

/** Picks the format from file names and the first line or header. */
export function detectRoutingFormat(path: string): RoutingFormat {
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path);
    if (names.includes('train.json') || names.includes('test.json')) return 'llmrouter';
    const csv = names.find((name) => name.endsWith('.csv') || name.endsWith('.csv.gz'));
    if (csv) return detectRoutingFormat(join(path, csv));
    const jsonl = names.find((name) => name.endsWith('.jsonl') && name !== 'contaminated_prompts.jsonl');
    if (jsonl) throw new DatasetError(`${path} is a folder: pass the replay file itself (${jsonl}?)`);
    throw new DatasetError(`cannot tell the format of folder ${path}; pass --format`);
  }
  const head = (path.endsWith('.gz') ? readMaybeGzip(path) : readFileSync(path, 'utf8')).slice(0, 4096);
  if (path.endsWith('.csv') || path.endsWith('.csv.gz')) {
    const header = head.split(/\r?\n/, 1)[0] ?? '';
    if (header.includes('sample_id') && header.includes('eval_name')) return 'routerbench';
    if (header.includes('prompt')) return 'routellm';
  }
  const start = head.trimStart();
  if (start.startsWith('[')) return 'llmrouter';
  if (start.startsWith('{')) return 'replay';
  throw new DatasetError(
    `cannot tell the format of ${path}; pass --format replay|routellm|routerbench|llmrouter`,
  );
}
