/**
 * Splits the Quora question pairs (`cache/qqp/pairs.jsonl.gz` in the shared datasets) into train,
 * validation and test **by question text**: questions linked by any pair form a group, and a whole
 * group goes to one split, so no question (after folding case, spacing and punctuation) is in two
 * splits. Train fits the verifier, validation picks the thresholds, test is used for nothing else.
 *
 *   npx tsx scripts/cache-pairs/qqp-pairs.ts [--datasets ../shared/datasets] [--out .tokenomics/cache-pairs]
 *       [--seed 7]
 *
 * Writes `qqp-{train,validation,test}.jsonl` ({a, b, label, kind, source, row}).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { argument, trainingArguments } from '../script-arguments';
import type { LabelledPair } from './pair-types';
import { seededRandom } from './random';
import { normalizeForId } from './sources';

export type QqpSplitName = 'train' | 'validation' | 'test';
export const QQP_SPLIT_SHARES: Record<QqpSplitName, number> = { train: 0.6, validation: 0.2, test: 0.2 };

type QqpRow = { a: string; b: string; label: 0 | 1; source: string };

export function readQqpPairs(datasets: string): QqpRow[] {
  const file = join(datasets, 'cache', 'qqp', 'pairs.jsonl.gz');
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as QqpRow)
    .filter((row) => row.a.trim() !== '' && row.b.trim() !== '');
}

/** Pairs per split; every pair's two questions (and all questions linked to them) share its split. */
export function splitQqpPairs(rows: readonly QqpRow[], seed: number): Record<QqpSplitName, LabelledPair[]> {
  const groups = new UnionFind();
  for (const row of rows) groups.union(normalizeForId(row.a), normalizeForId(row.b));
  const roots = [...new Set(rows.map((row) => groups.find(normalizeForId(row.a))))].sort();
  const shuffled = seededRandom(seed).shuffle(roots);
  const splitOf = new Map<string, QqpSplitName>();
  shuffled.forEach((root, index) => {
    const position = index / shuffled.length;
    splitOf.set(
      root,
      position < QQP_SPLIT_SHARES.train
        ? 'train'
        : position < QQP_SPLIT_SHARES.train + QQP_SPLIT_SHARES.validation
          ? 'validation'
          : 'test',
    );
  });
  const splits: Record<QqpSplitName, LabelledPair[]> = { train: [], validation: [], test: [] };
  for (const row of rows) {
    const root = groups.find(normalizeForId(row.a));
    splits[splitOf.get(root)!].push({
      a: row.a.trim(),
      b: row.b.trim(),
      label: row.label,
      kind: row.label === 1 ? 'paraphrase' : 'neighbour',
      source: 'qqp',
      row: root.slice(0, 80),
    });
  }
  return splits;
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(item: string): string {
    let root = item;
    while (true) {
      const parent = this.parent.get(root);
      if (parent === undefined || parent === root) break;
      root = parent;
    }
    // Path compression keeps later finds short.
    let current = item;
    while (current !== root) {
      const next = this.parent.get(current) ?? root;
      this.parent.set(current, root);
      current = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(left: string, right: string): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot !== rightRoot) this.parent.set(leftRoot, rightRoot);
  }
}

async function main(): Promise<void> {
  const { datasets, seed } = trainingArguments();
  const out = resolve(argument('out', '.tokenomics/cache-pairs'));
  const splits = splitQqpPairs(readQqpPairs(datasets), seed);
  for (const [name, pairs] of Object.entries(splits)) {
    writeFileSync(join(out, `qqp-${name}.jsonl`), `${pairs.map((pair) => JSON.stringify(pair)).join('\n')}\n`);
    const positives = pairs.filter((pair) => pair.label === 1).length;
    process.stdout.write(`qqp-${name}: ${pairs.length} pairs, ${positives} duplicates\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
