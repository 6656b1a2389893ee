import type { ReplayRecord } from './replay-record';

/**
 * Each model's recorded quality as a share of the reference model's, over the records where both
 * answered: what a model card or another task family's records tell a bandit before it grades
 * anything here (`neighbourBandit`'s `qualityShares`). Models the records do not hold are left out.
 */
export function qualityShares(
  records: readonly ReplayRecord[],
  models: readonly string[],
  reference: string,
): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const model of models) {
    if (model === reference) continue;
    let own = 0;
    let referenceSum = 0;
    for (const record of records) {
      const outcome = record.models[model];
      const referenceOutcome = record.models[reference];
      if (!outcome || !referenceOutcome) continue;
      own += outcome.correct;
      referenceSum += referenceOutcome.correct;
    }
    if (referenceSum > 0) shares[model] = round(own / referenceSum);
  }
  return shares;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
