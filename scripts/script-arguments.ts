import { resolve } from 'node:path';

/** The value after `--name` on the command line, or `fallback` when the flag or its value is missing. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

/** What every training script takes: `--datasets` (the shared datasets folder) and `--seed`. */
export function trainingArguments(): { datasets: string; seed: number } {
  return {
    datasets: resolve(argument('datasets', '../shared/datasets')),
    seed: Number(argument('seed', '7')),
  };
}
