/** How a learned policy's scores were produced, printed with the report. */
export type Evaluation = { kind: 'k-fold' | 'held-out-groups'; folds: number; description: string };

/**
 * Out-of-fold predictions: each request is scored by a model trained on the other folds only.
 * `assignFolds` decides which requests are held out together.
 */
export function outOfFold<T>(
  items: readonly T[],
  folds: readonly number[],
  train: (trainingItems: T[]) => (item: T) => number,
): Float64Array {
  const scores = new Float64Array(items.length);
  const foldIds = [...new Set(folds)].sort((a, b) => a - b);
  for (const fold of foldIds) {
    const training = items.filter((_, index) => folds[index] !== fold);
    const predict = train(training);
    items.forEach((item, index) => {
      if (folds[index] === fold) scores[index] = predict(item);
    });
  }
  return scores;
}

/** Random folds: a seeded shuffle dealt into `k` folds. */
export function randomFolds(count: number, k: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const folds = new Array<number>(count).fill(0);
  order.forEach((item, position) => {
    folds[item] = position % k;
  });
  return folds;
}

/**
 * Group folds: whole groups (MMLU subjects, datasets) are held out together, so a model cannot
 * score well by remembering which subjects are hard. Null when there are fewer than two groups.
 */
export function groupFolds(
  groups: readonly (string | undefined)[],
  k: number,
  random: () => number,
): number[] | null {
  const names = [...new Set(groups.map((group) => group ?? ''))].sort();
  if (names.length < 2) return null;
  for (let index = names.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [names[index], names[other]] = [names[other]!, names[index]!];
  }
  const foldOf = new Map(names.map((name, position) => [name, position % Math.min(k, names.length)]));
  return groups.map((group) => foldOf.get(group ?? '')!);
}
