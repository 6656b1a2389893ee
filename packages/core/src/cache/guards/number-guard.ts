import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { unmatched } from './words';

/**
 * Two questions that differ in any number, percentage, date or version ask different things
 * ("10% of 50" vs "6% of 50"), however close their embeddings are. Numbers are compared as
 * multisets after normalization: "1,000" = "1000", "10 percent" = "10%", "ten" = "10".
 */
export function numberGuard(stored: string, query: string): GuardOutcome {
  const mismatches = numberMismatches(stored, query);
  if (mismatches === 0) return GUARD_PASS;
  return {
    pass: false,
    reason: `numbers differ: [${extractNumbers(stored).join(', ')}] vs [${extractNumbers(query).join(', ')}]`,
  };
}

/** How many numbers one text has that the other lacks (both directions). */
export function numberMismatches(stored: string, query: string): number {
  const left = extractNumbers(stored);
  const right = extractNumbers(query);
  return unmatched(left, right).length + unmatched(right, left).length;
}

// "one" is left out on purpose: "which one", "one of the" are not quantities.
const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    zero: 0,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    thirteen: 13,
    fourteen: 14,
    fifteen: 15,
    sixteen: 16,
    seventeen: 17,
    eighteen: 18,
    nineteen: 19,
    twenty: 20,
    thirty: 30,
    forty: 40,
    fifty: 50,
    sixty: 60,
    seventy: 70,
    eighty: 80,
    ninety: 90,
    // Ordinals as words, so "3rd" and "third" are one number ("first" and "second" are left out:
    // "first time", "per second" are no ranks).
    third: 3,
    fourth: 4,
    fifth: 5,
    sixth: 6,
    seventh: 7,
    eighth: 8,
    ninth: 9,
    tenth: 10,
    eleventh: 11,
    twelfth: 12,
    twentieth: 20,
    dozen: 12,
    half: 0.5,
    twice: 2,
    double: 2,
    triple: 3,
  }),
);

/** Scale words count only after a number ("five hundred", "2 million"): "thousands of files" is no quantity. */
const SCALE_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({ hundred: 100, thousand: 1000, million: 1_000_000, billion: 1_000_000_000 }),
);

/**
 * The normalized numbers of a text, in order of appearance. Dates and versions ("2024-05-01",
 * "3.10.2", "10:30") stay whole strings; plain numbers are canonical decimals; a percentage
 * keeps its "%".
 */
export function extractNumbers(text: string): string[] {
  const lower = text
    .toLowerCase()
    // Thousands separators: "1,000,000" -> "1000000" (but "1, 2" stays a list).
    .replace(/\b\d{1,3}(?:,\d{3})+\b/g, (match) => match.replace(/,/g, ''))
    .replace(/\s*(?:percent|per cent|pct)\b/g, '%');
  const found: string[] = [];
  const pattern =
    /(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?|\d+(?:\.\d+){2,}|(?:(?<![\p{L}\p{N}])-)?\d+(?:\.\d+)?)(\s*%)?(?:st|nd|rd|th)?|\b([a-z]+)\b/gu;
  // End of the last number found, so "five hundred" and "2 million" join only when adjacent.
  let lastNumberEnd = -1;
  for (const match of lower.matchAll(pattern)) {
    const [whole, numeral, percent, word] = match;
    const start = match.index ?? 0;
    const adjacent = lastNumberEnd >= 0 && lower.slice(lastNumberEnd, start).trim() === '';
    if (numeral !== undefined) {
      // "1)" and "2)" number the items of a list; they are not part of the question.
      if (lower[start + whole.length] === ')' && !lower.slice(0, start).trimEnd().endsWith('(')) continue;
      // "1. Create ..." at the start of a line numbers a list item too.
      if (
        /^\.\s/.test(lower.slice(start + whole.length, start + whole.length + 2)) &&
        /(^|\n)\s*$/.test(lower.slice(0, start))
      )
        continue;
      found.push(canonicalNumeral(numeral) + (percent ? '%' : ''));
      lastNumberEnd = start + whole.length;
      continue;
    }
    if (word === undefined) continue;
    const scale = SCALE_WORDS.get(word);
    const last = Number(found[found.length - 1]);
    if (scale !== undefined) {
      if (adjacent && Number.isFinite(last) && last < scale) {
        found[found.length - 1] = String(last * scale);
        lastNumberEnd = start + whole.length;
      }
      continue;
    }
    const value = NUMBER_WORDS.get(word);
    if (value === undefined) continue;
    // "ten percent" became "ten%" above; the word pattern stops before the "%".
    found.push(String(value) + (lower[start + whole.length] === '%' ? '%' : ''));
    lastNumberEnd = start + whole.length;
  }
  return found;
}

function canonicalNumeral(numeral: string): string {
  if (!/^-?\d+(?:\.\d+)?$/.test(numeral)) return numeral;
  // "007" and "7" are the same quantity; "3.10" and "3.1" are not always (versions), so the
  // fractional part is kept as written.
  const [whole = '', fraction] = numeral.split('.');
  const negative = whole.startsWith('-');
  const digits = whole.replace('-', '').replace(/^0+(?=\d)/, '');
  return (negative ? '-' : '') + digits + (fraction !== undefined ? `.${fraction}` : '');
}
