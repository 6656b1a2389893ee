import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { words } from './words';

const NEGATIONS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'without',
  'except',
  'excluding',
  'nor',
  'neither',
  'none',
  'nobody',
  'nothing',
  'nowhere',
  'cannot',
  'lack',
  'lacks',
  'lacking',
  'unless',
  'non',
]);

/**
 * "Which fruits are acidic?" and "Which fruits are not acidic?" embed almost identically and
 * have opposite answers. The pair fails when one text is negated and the other is not.
 * Presence, not count, is compared: "No, it doesn't exist" and "It does not exist" agree.
 */
export function negationGuard(stored: string, query: string): GuardOutcome {
  const left = countNegations(stored);
  const right = countNegations(query);
  if (left > 0 === right > 0) return GUARD_PASS;
  return { pass: false, reason: `negation differs: ${left} vs ${right} negating words` };
}

export function countNegations(text: string): number {
  let count = 0;
  for (const word of words(text)) {
    if (NEGATIONS.has(word) || /n['’]t$/.test(word)) count++;
  }
  // "other than" negates like "except"; a plain "than" does not.
  count += (text.toLowerCase().match(/\bother than\b/g) ?? []).length;
  return count;
}
