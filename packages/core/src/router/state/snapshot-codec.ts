import type { ArmStatistics, BanditSnapshot } from '../types';

type StoredMeta = Omit<BanditSnapshot, 'arms'> & {
  arms: Array<{ id: string; observations: number; pulls: number; rewardSum: number }>;
};

/** A deep copy, so a store never shares arrays with the bandit that is using them. */
export function cloneSnapshot(snapshot: BanditSnapshot): BanditSnapshot {
  const arms: Record<string, ArmStatistics> = {};
  for (const [id, arm] of Object.entries(snapshot.arms)) {
    arms[id] = {
      precision: Float64Array.from(arm.precision),
      weighted: Float64Array.from(arm.weighted),
      observations: arm.observations,
      pulls: arm.pulls,
      rewardSum: arm.rewardSum,
    };
  }
  return { ...snapshot, arms };
}

/**
 * A snapshot as a small JSON header and one binary blob of the arms' matrices (d² + d doubles per
 * arm, in the header's arm order): compact and exact, where JSON numbers would round-trip slowly.
 */
export function encodeSnapshot(snapshot: BanditSnapshot): { meta: string; data: Uint8Array } {
  const ids = Object.keys(snapshot.arms);
  const size = snapshot.dimensions;
  const perArm = size * size + size;
  const values = new Float64Array(ids.length * perArm);
  const meta: StoredMeta = {
    schema: snapshot.schema,
    dimensions: size,
    steps: snapshot.steps,
    costWeight: snapshot.costWeight,
    spentDollars: snapshot.spentDollars,
    updatedAt: snapshot.updatedAt,
    arms: [],
  };
  ids.forEach((id, index) => {
    const arm = snapshot.arms[id] as ArmStatistics;
    values.set(arm.precision, index * perArm);
    values.set(arm.weighted, index * perArm + size * size);
    meta.arms.push({ id, observations: arm.observations, pulls: arm.pulls, rewardSum: arm.rewardSum });
  });
  return { meta: JSON.stringify(meta), data: new Uint8Array(values.buffer) };
}

export function decodeSnapshot(metaText: string, data: Uint8Array): BanditSnapshot {
  const meta = JSON.parse(metaText) as StoredMeta;
  const size = meta.dimensions;
  const perArm = size * size + size;
  // Copy into an aligned buffer: a blob read from SQLite may start at any byte offset.
  const values = new Float64Array(new Uint8Array(data).buffer, 0, Math.floor(data.byteLength / 8));
  if (values.length !== meta.arms.length * perArm) throw new Error('bandit state blob has the wrong length');
  const arms: Record<string, ArmStatistics> = {};
  meta.arms.forEach((arm, index) => {
    arms[arm.id] = {
      precision: values.slice(index * perArm, index * perArm + size * size),
      weighted: values.slice(index * perArm + size * size, (index + 1) * perArm),
      observations: arm.observations,
      pulls: arm.pulls,
      rewardSum: arm.rewardSum,
    };
  });
  return {
    schema: meta.schema,
    dimensions: size,
    steps: meta.steps,
    costWeight: meta.costWeight,
    spentDollars: meta.spentDollars,
    updatedAt: meta.updatedAt,
    arms,
  };
}
