/**
 * Splits the Quora question pairs (`cache/qqp/pairs.jsonl.gz` in the shared datasets) into train,
 * validation and test **by question text** (`splitByQuestion`: linked questions stay together, no
 * question is in two splits). Train fits the verifier, validation picks the thresholds, test is used
 * for nothing else; `tokenomics bench cache --pairs <file> --split test` reads the same test split.
 *
 *   npx tsx scripts/cache-pairs/qqp-pairs.ts [--datasets ../shared/datasets] [--out .tokenomics/cache-pairs]
 *       [--seed 7]
 *
 * Writes `qqp-{train,validation,test}.jsonl` ({a, b, label, kind, source, row}).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLabelledPairs } from '../../packages/cli/src/datasets/labelled-pairs';
import { type QuestionSplit, splitByQuestion } from '../../packages/cli/src/datasets/split-by-question';
import { argument, trainingArguments } from '../script-arguments';
import type { LabelledPair } from './pair-types';

export async function qqpSplits(
  datasets: string,
  seed: number,
): Promise<Record<QuestionSplit, LabelledPair[]>> {
  const pairs = await readLabelledPairs(join(datasets, 'cache', 'qqp', 'pairs.jsonl.gz'));
  const splits = splitByQuestion(
    pairs.map((pair) => ({ ...pair, a: pair.a.trim(), b: pair.b.trim() })).filter((pair) => pair.a && pair.b),
    seed,
  );
  const labelled = (list: typeof pairs): LabelledPair[] =>
    list.map((pair) => ({
      a: pair.a,
      b: pair.b,
      label: pair.label,
      kind: pair.label === 1 ? 'paraphrase' : 'neighbour',
      source: 'qqp',
      row: '',
    }));
  return {
    train: labelled(splits.train),
    validation: labelled(splits.validation),
    test: labelled(splits.test),
  };
}

async function main(): Promise<void> {
  const { datasets, seed } = trainingArguments();
  const out = resolve(argument('out', '.tokenomics/cache-pairs'));
  for (const [name, pairs] of Object.entries(await qqpSplits(datasets, seed))) {
    writeFileSync(
      join(out, `qqp-${name}.jsonl`),
      `${pairs.map((pair) => JSON.stringify(pair)).join('\n')}\n`,
    );
    process.stdout.write(
      `qqp-${name}: ${pairs.length} pairs, ${pairs.filter((pair) => pair.label === 1).length} duplicates\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
