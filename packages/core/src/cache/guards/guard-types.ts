/** The lexical guards, in the order `checkGuards` runs them. */
export type GuardName =
  | 'numbers'
  | 'ordinals'
  | 'symbols'
  | 'time'
  | 'entities'
  | 'negation'
  | 'order'
  | 'antonyms'
  | 'substitution';

/** What one guard decided about two texts. */
export type GuardOutcome = { pass: true } | { pass: false; reason: string };

export const GUARD_PASS: GuardOutcome = { pass: true };
