import type { SemanticText } from '../../request/semantic-text';
import { antonymGuard } from './antonym-guard';
import { entityGuard } from './entity-guard';
import type { GuardName, GuardOutcome } from './guard-types';
import { negationGuard } from './negation-guard';
import { numberGuard } from './number-guard';
import { orderGuard } from './order-guard';
import { ordinalGuard } from './ordinal-guard';
import { substitutionGuard } from './substitution-guard';
import { symbolGuard } from './symbol-guard';
import { timeGuard } from './time-guard';

export type GuardResult = { pass: true } | { pass: false; failed: GuardName; reason: string };

const GUARDS: ReadonlyArray<readonly [GuardName, (stored: string, query: string) => GuardOutcome]> = [
  ['numbers', numberGuard],
  ['ordinals', ordinalGuard],
  ['symbols', symbolGuard],
  ['time', timeGuard],
  ['entities', entityGuard],
  ['negation', negationGuard],
  ['order', orderGuard],
  ['antonyms', antonymGuard],
  ['substitution', substitutionGuard],
];

export type CheckGuardsOptions = {
  /** Guards to skip, e.g. `['entities']` for a workload where names vary freely. */
  skip?: readonly GuardName[];
};

/**
 * Whether a stored question may answer a new one as far as cheap lexical checks can tell:
 * same numbers, ranks, versioned names, relative times and names, same negation, same direction, no swapped opposites, no detail word
 * swapped for another ("annual" / "monthly"), in both the
 * query and its conversation context. A failure names the guard and says why; a pass is
 * necessary, not sufficient (the similarity threshold and the verifier still apply).
 */
export function checkGuards(
  stored: SemanticText,
  query: SemanticText,
  options: CheckGuardsOptions = {},
): GuardResult {
  for (const [name, guard] of GUARDS) {
    if (options.skip?.includes(name)) continue;
    const onQuery = guard(stored.query, query.query);
    if (!onQuery.pass) return { pass: false, failed: name, reason: onQuery.reason };
    if (stored.context !== query.context) {
      const onContext = guard(stored.context, query.context);
      if (!onContext.pass) return { pass: false, failed: name, reason: `context: ${onContext.reason}` };
    }
  }
  return { pass: true };
}

/** Each guard's verdict on two plain texts, for features and traces. */
export function guardOutcomes(stored: string, query: string): Record<GuardName, boolean> {
  const outcomes = {} as Record<GuardName, boolean>;
  for (const [name, guard] of GUARDS) outcomes[name] = guard(stored, query).pass;
  return outcomes;
}
