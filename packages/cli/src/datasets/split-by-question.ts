import { seededUniform } from '../bench/seeded-uniform';
import type { LabelledPair } from './labelled-pairs';

export type QuestionSplit = 'train' | 'validation' | 'test';
/** The shares the shipped cache verifier was trained, tuned and reported with. */
export const QUESTION_SPLIT_SHARES: Readonly<Record<QuestionSplit, number>> = {
  train: 0.6,
  validation: 0.2,
  test: 0.2,
};
/** The seed of the shipped verifier's split: `--split test` with it gives the pairs it never saw. */
export const QUESTION_SPLIT_SEED = 7;

/**
 * Splits labelled pairs **by question text**: questions linked by any pair form a group, and a whole
 * group goes to one split, so no question (after folding case, spacing and punctuation) is in two
 * splits. The same pairs and seed always give the same splits, whatever their order.
 */
export function splitByQuestion<Pair extends LabelledPair>(
  pairs: readonly Pair[],
  seed: number = QUESTION_SPLIT_SEED,
): Record<QuestionSplit, Pair[]> {
  const groups = new UnionFind();
  for (const pair of pairs) groups.union(normalizeQuestion(pair.a), normalizeQuestion(pair.b));
  const roots = [...new Set(pairs.map((pair) => groups.find(normalizeQuestion(pair.a))))].sort();
  const shuffled = shuffle(roots, seededUniform(seed));
  const splitOf = new Map<string, QuestionSplit>();
  shuffled.forEach((root, index) => {
    const position = index / shuffled.length;
    splitOf.set(
      root,
      position < QUESTION_SPLIT_SHARES.train
        ? 'train'
        : position < QUESTION_SPLIT_SHARES.train + QUESTION_SPLIT_SHARES.validation
          ? 'validation'
          : 'test',
    );
  });
  const splits: Record<QuestionSplit, Pair[]> = { train: [], validation: [], test: [] };
  for (const pair of pairs) splits[splitOf.get(groups.find(normalizeQuestion(pair.a)))!].push(pair);
  return splits;
}

/** Case, spacing and punctuation folded: "What's X?" and "what s x" are one question. */
export function normalizeQuestion(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function shuffle<Item>(items: readonly Item[], next: () => number): Item[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  find(item: string): string {
    let root = item;
    for (
      let parent = this.parent.get(root);
      parent !== undefined && parent !== root;
      parent = this.parent.get(root)
    )
      root = parent;
    // Path compression keeps later finds short.
    for (let current = item; current !== root; ) {
      const next = this.parent.get(current) ?? root;
      this.parent.set(current, root);
      current = next;
    }
    return root;
  }

  union(left: string, right: string): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot !== rightRoot) this.parent.set(leftRoot, rightRoot);
  }
}
