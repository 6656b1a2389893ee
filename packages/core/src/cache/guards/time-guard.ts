import { relativeTimeExpressions } from '../verifier/difference-features';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { unmatched } from './words';

/** Relative times with one meaning each; "now", "currently" and "recently" are left to the verifier. */
const EXACT_TIMES = /^(?:today|tonight|tomorrow|yesterday|(?:this|last|next|previous|coming|past) .+)$/;

/**
 * "Which planets are visible tonight?" is not "... tomorrow night?", and "revenue this year" is not
 * "revenue last year": the pair fails when the texts name different relative days or periods.
 */
export function timeGuard(stored: string, query: string): GuardOutcome {
  const left = relativeTimeExpressions(stored).filter((time) => EXACT_TIMES.test(time));
  const right = relativeTimeExpressions(query).filter((time) => EXACT_TIMES.test(time));
  const differing = [...unmatched(left, right), ...unmatched(right, left)];
  if (differing.length === 0) return GUARD_PASS;
  return { pass: false, reason: `relative time differs: [${left.join(', ')}] vs [${right.join(', ')}]` };
}
