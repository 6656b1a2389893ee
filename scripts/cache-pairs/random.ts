import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';

/** A small seeded generator (mulberry32): the same seed builds the same pairs on any machine. */
export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  integer(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  chance(probability: number): boolean;
};

export function seededRandom(seed: number): Random {
  const next = seededUniform(seed);
  const integer = (minInclusive: number, maxInclusive: number) =>
    minInclusive + Math.floor(next() * (maxInclusive - minInclusive + 1));
  return {
    next,
    integer,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[integer(0, items.length - 1)]!;
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = integer(0, index);
        [copy[index], copy[other]] = [copy[other]!, copy[index]!];
      }
      return copy;
    },
    chance: (probability) => next() < probability,
  };
}
