import { ordinalWords } from '../verifier/difference-features';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { unmatched } from './words';

/** Rank words that always change the answer; "first", "last" and "next" are left to the verifier. */
const EXACT_RANKS =
  /^(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|twentieth|hundredth|penultimate|#\d+)$/;

/**
 * "The second largest city" is not "the largest city": the pair fails when one text ranks with an
 * ordinal the other lacks. "Second" as a unit of time ("10 seconds", "per second") is no rank.
 */
export function ordinalGuard(stored: string, query: string): GuardOutcome {
  const left = ranks(stored);
  const right = ranks(query);
  const differing = [...unmatched(left, right), ...unmatched(right, left)];
  if (differing.length === 0) return GUARD_PASS;
  return { pass: false, reason: `ranks differ: [${left.join(', ')}] vs [${right.join(', ')}]` };
}

/** "2nd" and "second" are one rank. */
const RANK_WORDS: Record<number, string> = {
  2: 'second',
  3: 'third',
  4: 'fourth',
  5: 'fifth',
  6: 'sixth',
  7: 'seventh',
  8: 'eighth',
  9: 'ninth',
  10: 'tenth',
  11: 'eleventh',
  12: 'twelfth',
};

function ranks(text: string): string[] {
  const timeSeconds = (text.toLowerCase().match(/\b(?:\d+|a|per|one|each|every|split|few)\s+second\b/g) ?? [])
    .length;
  const found = ordinalWords(text)
    .map((word) => RANK_WORDS[Number(word.slice(1))] ?? word)
    .filter((word) => EXACT_RANKS.test(word));
  // Drop as many "second"s as read as a time unit.
  for (let index = 0; index < timeSeconds; index++) {
    const at = found.indexOf('second');
    if (at >= 0) found.splice(at, 1);
  }
  return found;
}
