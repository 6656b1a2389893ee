import { isPlainObject } from './read-report-input';

const BREAKDOWN_FIELDS = ['savedByStage', 'savingsByStage', 'byStage'];

/**
 * The dollars a record or a run saved per stage, when it carries a breakdown
 * (`savingsByStage: { cache: 0.01, compression: 0.002 }`, or `{ cache: { dollars } }`), at its
 * top level or inside `saved`. Undefined when there is none, so the caller falls back to the
 * record's single stage. Unknown extra fields are ignored.
 */
export function stageSavingsOf(
  value: Record<string, unknown>,
  fields: readonly string[] = BREAKDOWN_FIELDS,
): Record<string, number> | undefined {
  const holders = [value, isPlainObject(value.saved) ? value.saved : undefined];
  for (const holder of holders) {
    for (const field of fields) {
      const breakdown = holder?.[field];
      if (!isPlainObject(breakdown)) continue;
      const stages: Record<string, number> = {};
      for (const [stage, amount] of Object.entries(breakdown)) {
        const dollars =
          typeof amount === 'number' ? amount : isPlainObject(amount) ? amount.dollars : undefined;
        if (typeof dollars === 'number' && Number.isFinite(dollars)) stages[stage] = dollars;
      }
      if (Object.keys(stages).length > 0) return stages;
    }
  }
  return undefined;
}
