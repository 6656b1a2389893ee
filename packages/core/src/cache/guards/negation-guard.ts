import { NEAR_NEGATIONS } from '../verifier/difference-features';
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
  // Verbs that negate what follows: "avoid X" / "prevent X" ask the opposite of "allow X".
  'avoid',
  'avoids',
  'avoiding',
  'prevent',
  'prevents',
  'preventing',
  'exclude',
  'excludes',
  'disable',
  'disables',
  'disabled',
  'fail',
  'fails',
  'failed',
  'deny',
  'denies',
  'forbid',
  'forbids',
  // Near-negations: "rarely" and "barely" ask about the opposite end from the plain question.
  ...NEAR_NEGATIONS,
]);

/**
 * "Which fruits are acidic?" and "Which fruits are not acidic?" embed almost identically and
 * have opposite answers. The pair fails when the texts hold a different number of negations,
 * so "doesn't" and "does not" match each other, and a negation added to a text that already
 * had one ("whether or not it is needed" / "... is not needed") is still seen. An answer-style
 * "No, ..." at the start of a sentence is not counted: it restates, it does not negate.
 */
export function negationGuard(stored: string, query: string): GuardOutcome {
  const left = countNegations(stored);
  const right = countNegations(query);
  if (left === right) return GUARD_PASS;
  return { pass: false, reason: `negation differs: ${left} vs ${right} negating words` };
}

export function countNegations(text: string): number {
  let count = 0;
  const withoutInterjections = text.replace(/(^|[.!?]\s+)no\s*,/gi, '$1');
  for (const word of words(withoutInterjections)) {
    if (NEGATIONS.has(word) || /n['’]t$/.test(word)) count++;
  }
  // "other than" negates like "except"; a plain "than" does not.
  count += (text.toLowerCase().match(/\bother than\b/g) ?? []).length;
  return count;
}
