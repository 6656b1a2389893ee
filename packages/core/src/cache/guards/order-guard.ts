import { FUNCTION_WORDS } from './common-words';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { singular } from './words';

/**
 * Direction matters in "convert USD to EUR", "from Paris to Rome", "is Rust faster than Go":
 * swapping the two items asks another question with nearly the same words. Symmetric forms
 * ("X vs Y", "X or Y", "difference between X and Y", "compare X and Y") are left alone, since
 * their answer does not depend on the order. The pair fails when an ordered pair found in one
 * text appears reversed, across a directional word, in the other.
 */
export function orderGuard(stored: string, query: string): GuardOutcome {
  const reversed = reversedPairs(stored, query);
  if (reversed.length === 0) return GUARD_PASS;
  return { pass: false, reason: `order of compared items differs: ${reversed.join(', ')}` };
}

type OrderedPair = { first: string; second: string; marker: string };

/** Ordered pairs of either text that the other text states the other way round. */
export function reversedPairs(stored: string, query: string): string[] {
  const storedTokens = tokens(stored);
  const queryTokens = tokens(query);
  const found = new Set<string>();
  for (const [from, other] of [
    [storedTokens, queryTokens],
    [queryTokens, storedTokens],
  ] as const) {
    for (const pair of pairsOf(from)) {
      if (isReversedIn(pair, other)) found.add(`"${pair.first} ${pair.marker} ${pair.second}"`);
    }
  }
  return [...found];
}

/** Every "X <directional word> Y" of a text, by the content word next to each side. */
export function orderedPairs(text: string): OrderedPair[] {
  return pairsOf(tokens(text));
}

/** Always directional: "faster than", "before", "prefer X over Y", arrows. */
const ALWAYS_DIRECTIONAL = new Set(['than', 'over', 'before', 'after', 'against', 'per', '->', '→', '=>']);
/** Directional only in a movement or conversion ("from X to Y", "convert X into Y", "USD to EUR"). */
const MOVEMENT_MARKERS = new Set(['to', 'into', 'in']);
const MOVEMENT_VERBS = new Set(
  `from convert converting conversion translate translating translation migrate migrating migration port
  porting switch switching move moving change changing transform transforming cast casting upgrade
  upgrading downgrade downgrading travel travelling traveling fly flying drive driving go going get
  send sending transfer transferring export exporting import importing rename renaming compile
  compiling turn turning map mapping exchange route redirect ship commute converted translated migrated
  ported switched moved changed transformed mapped upgraded downgraded sent transferred exported
  imported renamed compiled turned traveled travelled flown driven shipped routed redirected`
    .trim()
    .split(/\s+/),
);

type Token = { text: string; named: boolean };

function pairsOf(list: readonly Token[]): OrderedPair[] {
  const pairs: OrderedPair[] = [];
  list.forEach((token, index) => {
    if (!isDirectional(list, index)) return;
    const first = itemAt(list, index, -1);
    const second = itemAt(list, index, 1);
    if (first && second && first !== second) pairs.push({ first, second, marker: token.text });
  });
  return pairs;
}

function isDirectional(list: readonly Token[], index: number): boolean {
  const marker = list[index]!.text;
  if (ALWAYS_DIRECTIONAL.has(marker)) return true;
  if (!MOVEMENT_MARKERS.has(marker)) return false;
  // "in" orders two items only in a measure: "how many grams in an ounce", "100 °F in Celsius".
  if (marker === 'in') {
    for (let back = Math.max(0, index - 6); back < index; back++) {
      const word = list[back]!.text;
      if (word === 'many' || word === 'much' || /^\d/.test(word)) return true;
    }
    return false;
  }
  for (let back = Math.max(0, index - 6); back < index; back++)
    if (MOVEMENT_VERBS.has(list[back]!.text)) return true;
  // "USD to EUR", "GPT-4 to Claude": names or codes on both sides read as a conversion.
  const left = list[index - 1];
  const right = list[index + 1];
  return Boolean(left?.named && right?.named);
}

/**
 * The item on one side of a directional word: the first name or code among the content words
 * next to it ("Does Python run faster than Rust" -> python, rust), else the nearest content word
 * ("a list to a string in Python" -> list, string), skipping articles and comparatives.
 */
function itemAt(list: readonly Token[], markerIndex: number, step: 1 | -1): string | undefined {
  let index = markerIndex + step;
  if (step === -1 && list[markerIndex]!.text === 'than') {
    // "faster than", "more expensive than": the comparative is not the item; read past it.
    const word = list[index]?.text ?? '';
    if (COMPARATIVE.has(word) || /er$/.test(word)) index -= 1;
    else if (COMPARATIVE.has(list[index - 1]?.text ?? '')) index -= 2;
  }
  while (index >= 0 && index < list.length && SKIPPABLE.has(list[index]!.text)) index += step;
  let nearest: string | undefined;
  for (let seen = 0; seen < 4 && index >= 0 && index < list.length; seen++, index += step) {
    const token = list[index]!;
    if (isMarker(token.text) || !/[\p{L}\p{N}]/u.test(token.text)) break;
    if (FUNCTION_WORDS.has(token.text) || MOVEMENT_VERBS.has(token.text)) break;
    if (token.named) return token.text;
    nearest ??= token.text;
  }
  return nearest;
}

const COMPARATIVE = new Set(['more', 'less', 'better', 'worse', 'rather']);
const SKIPPABLE = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'were',
  'be',
  'much',
  'far',
  'way',
  'my',
  'our',
  'your',
]);

function isMarker(word: string): boolean {
  return ALWAYS_DIRECTIONAL.has(word) || MOVEMENT_MARKERS.has(word);
}

/** Whether `other` has the pair's items in the opposite order, with a directional word between them. */
function isReversedIn(pair: OrderedPair, other: readonly Token[]): boolean {
  const firstAt = other.findIndex((token) => token.text === pair.first);
  const secondAt = other.findIndex((token) => token.text === pair.second);
  if (firstAt < 0 || secondAt < 0 || secondAt >= firstAt) return false;
  for (let index = secondAt + 1; index < firstAt; index++) {
    if (isMarker(other[index]!.text) && isDirectional(other, index)) return true;
  }
  return false;
}

function tokens(text: string): Token[] {
  const raw = text.match(/[\p{L}\p{N}_$.+#-]*[\p{L}\p{N}_$+#]|->|→|=>|[^\s\p{L}\p{N}]/gu) ?? [];
  return raw.map((token, index) => {
    const lower = token.toLowerCase();
    // A capital after a sentence boundary says nothing about the word.
    const sentenceStart = index === 0 || /^[.?!:;]$/.test(raw[index - 1]!);
    return {
      text: /^\p{L}+$/u.test(lower) ? singular(lower) : lower,
      // Capitalized, an acronym, or letters mixed with digits (GPT-4): a name or a code. A bare number is a
      // quantity, not an item ("convert 10 miles to km" compares miles and km).
      named:
        (/^\p{Lu}/u.test(token) && !sentenceStart) ||
        /^\p{Lu}[\p{Lu}\p{N}]+$/u.test(token) ||
        (/\p{N}/u.test(token) && /\p{L}/u.test(token)),
    };
  });
}
