import type { ArmStatistics, BanditSnapshot } from '../types';

/** The contextual bandit's features: bias, prior, the lexical block, then the embedding projection. */
export type BanditLayout = { lexical: number; projection: number };

const SCHEMA = /^linear-v1:bias\+prior\+lexical(\d+)\+projection(\d+)$/;

export function layoutSchema(layout: BanditLayout): string {
  return `linear-v1:bias+prior+lexical${layout.lexical}+projection${layout.projection}`;
}

export function parseLayout(schema: string): BanditLayout | undefined {
  const match = SCHEMA.exec(schema);
  return match ? { lexical: Number(match[1]), projection: Number(match[2]) } : undefined;
}

/**
 * A stored snapshot in `layout`. One from another layout (a new embedding projection, a lexical
 * feature added) keeps what still means the same — bias and prior always, the lexical and
 * projection blocks when their size is unchanged — with its counts, λ and spend; the rest starts
 * from the prior. A schema it cannot read starts over.
 */
export function migrateSnapshot(stored: BanditSnapshot, layout: BanditLayout): BanditSnapshot | undefined {
  const target = layoutSchema(layout);
  if (stored.schema === target && stored.dimensions === dimensionsOf(layout)) return stored;
  const from = parseLayout(stored.schema);
  if (!from || stored.dimensions !== dimensionsOf(from)) return undefined;
  const mapping = sharedDimensions(from, layout);
  const size = dimensionsOf(layout);
  const arms: Record<string, ArmStatistics> = {};
  for (const [id, arm] of Object.entries(stored.arms)) {
    const precision = new Float64Array(size * size);
    const weighted = new Float64Array(size);
    for (const [oldRow, newRow] of mapping) {
      weighted[newRow] = arm.weighted[oldRow] as number;
      for (const [oldColumn, newColumn] of mapping) {
        precision[newRow * size + newColumn] = arm.precision[
          oldRow * stored.dimensions + oldColumn
        ] as number;
      }
    }
    arms[id] = { ...arm, precision, weighted };
  }
  return { ...stored, schema: target, dimensions: size, arms };
}

function dimensionsOf(layout: BanditLayout): number {
  return 2 + layout.lexical + layout.projection;
}

/** [old index, new index] of every feature both layouts share. */
function sharedDimensions(from: BanditLayout, to: BanditLayout): Array<[number, number]> {
  const pairs: Array<[number, number]> = [
    [0, 0],
    [1, 1],
  ];
  if (from.lexical === to.lexical) {
    for (let index = 0; index < from.lexical; index++) pairs.push([2 + index, 2 + index]);
  }
  if (from.projection === to.projection && from.projection > 0) {
    for (let index = 0; index < from.projection; index++) {
      pairs.push([2 + from.lexical + index, 2 + to.lexical + index]);
    }
  }
  return pairs;
}
