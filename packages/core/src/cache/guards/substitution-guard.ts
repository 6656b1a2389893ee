import { FUNCTION_WORDS } from './common-words';
import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { singular, words } from './words';

/**
 * Verbs that only frame a request ("Explain ...", "Tell me ...", "Can you describe ..."): swapping
 * one for another keeps the question, so they are not content words here.
 */
export const REQUEST_WORDS: ReadonlySet<string> = new Set(
  `explain describe tell show give outline discuss summarize summarise elaborate clarify define
   help know want need wondering wonder curious idea ok okay hi hello hey`.split(/\s+/),
);

/** Request verbs that are also nouns ("a Python list"): framing only as the first word. */
const LEADING_REQUEST_WORDS: ReadonlySet<string> = new Set(['list', 'name', 'write', 'find', 'provide']);

/** At most this many content words swapped on either side still count as "one detail changed". */
const MOST_SWAPPED_WORDS = 3;
/** Function words that may change beside the swap ("How do I ..." / "How can I ..."). */
const MOST_CHANGED_FUNCTION_WORDS = 2;
/** Texts with more content words than this are not compared (question-sized texts only). */
const MOST_WORDS = 200;

/**
 * "What is the refund policy for annual plans?" and "... for monthly plans?" are the same
 * question apart from one lower-case word, so embeddings put them very close, yet they ask
 * different things. This guard aligns the two texts' content words (lower-cased, function
 * words dropped, lightly stemmed) and fails when, at the same place in both, one to three words
 * were replaced by words that are not forms of them ("annual" -> "monthly", "sort" -> "reverse").
 * Words only added or dropped ("capital" / "capital city"), reordered words, changed function
 * words ("do" / "can") and other forms of the same word ("sort" / "sorting") pass. Texts that
 * share no content word, or differ in more than a few words, are left to the similarity
 * threshold and the verifier: that is rewording, not a swapped detail.
 */
export function substitutionGuard(stored: string, query: string): GuardOutcome {
  const swaps = substitutedWords(stored, query);
  if (swaps.length === 0) return GUARD_PASS;
  return {
    pass: false,
    reason: `different words in the same place: ${swaps.map(([left, right]) => `"${left}" / "${right}"`).join(', ')}`,
  };
}

/**
 * The aligned replacements between the texts, as [stored words, query words] (space-joined),
 * or none when the texts are not the same question apart from a few swapped words.
 */
export function substitutedWords(stored: string, query: string): Array<[string, string]> {
  const left = contentWords(stored);
  const right = contentWords(query);
  // Long prompts are not one-detail look-alikes, and the alignment is quadratic.
  if (left.length === 0 || right.length === 0 || left.length > MOST_WORDS || right.length > MOST_WORDS)
    return [];
  const anchors = alignment(left, right);
  if (anchors.length === 0) return [];
  const swaps: Array<[string, string]> = [];
  let swappedLeft = 0;
  let swappedRight = 0;
  let rewordedElsewhere = false;
  let previousLeft = -1;
  let previousRight = -1;
  for (const [leftIndex, rightIndex] of [...anchors, [left.length, right.length] as const]) {
    // Words of a gap that the other text has elsewhere were moved, not replaced.
    const leftGap = left
      .slice(previousLeft + 1, leftIndex)
      .filter((word) => !right.some((other) => related(word, other)));
    const rightGap = right
      .slice(previousRight + 1, rightIndex)
      .filter((word) => !left.some((other) => related(word, other)));
    if (leftGap.length > 0 && rightGap.length > 0) {
      swaps.push([leftGap.join(' '), rightGap.join(' ')]);
      swappedLeft += leftGap.length;
      swappedRight += rightGap.length;
    } else if (leftGap.length + rightGap.length > 0) {
      // A content word added beside a swap means the question was reworded, not one detail
      // changed ("population of France" / "how many people lived in France").
      rewordedElsewhere = true;
    }
    previousLeft = leftIndex;
    previousRight = rightIndex;
  }
  // Swaps in several places ("purpose" / "goal" ... "convert" / "transform") are rewording.
  if (swaps.length !== 1 || rewordedElsewhere) return [];
  const swapped = Math.max(swappedLeft, swappedRight);
  if (swapped > MOST_SWAPPED_WORDS) return [];
  // "The same apart from a detail": the shared words at least double the swapped ones.
  if (anchors.length < 2 * swapped) return [];
  // Beyond the swap, at most a couple of function words may change ("do" / "can"); more is a
  // reworded sentence ("X is used to get Y" / "X retrieves Y").
  const leftTokens = tokens(stored);
  const rightTokens = tokens(query);
  const kept = alignment(leftTokens, rightTokens).length;
  if (
    leftTokens.length - kept - swappedLeft > MOST_CHANGED_FUNCTION_WORDS ||
    rightTokens.length - kept - swappedRight > MOST_CHANGED_FUNCTION_WORDS
  )
    return [];
  // A different framing ("What is ..." / "Explain ...") is rewording too: synonyms swapped in a
  // reworded question ("importance" / "significance") are the verifier's call, not this guard's.
  if (framing(stored) !== framing(query)) return [];
  return swaps;
}

/** The request words of a text, sorted: what frames it as an instruction. */
function framing(text: string): string {
  const all = words(text);
  const framingWords = all.filter((word) => REQUEST_WORDS.has(word));
  if (all.length > 1 && LEADING_REQUEST_WORDS.has(all[0]!)) framingWords.push(all[0]!);
  return framingWords.sort().join(' ');
}

/** All stemmed words, numbers left out (the number guard's business). */
function tokens(text: string): string[] {
  return words(text)
    .filter((word) => !/^[\d.]+$/.test(word))
    .map((word) => stem(word.replace(/['’]s$/, '')));
}

function contentWords(text: string): string[] {
  const all = words(text);
  // "List the ..." / "Name some ...": a leading imperative frames the request.
  if (all.length > 1 && LEADING_REQUEST_WORDS.has(all[0]!)) all.shift();
  return all
    .filter((word) => !FUNCTION_WORDS.has(word) && !REQUEST_WORDS.has(word) && !/^[\d.]+$/.test(word))
    .map((word) => stem(word.replace(/['’]s$/, '')));
}

/**
 * A light stem: plural, -ing, -ed, -ly and a final -e off ("sorting" -> "sort", "plans" ->
 * "plan", "using" / "use" -> "us"). Crude, but only ever compared with another stem.
 */
export function stem(word: string): string {
  let result = singular(word);
  for (const ending of ['ing', 'ed', 'ly']) {
    if (result.length >= ending.length + 2 && result.endsWith(ending)) {
      result = result.slice(0, -ending.length);
      break;
    }
  }
  // "running" -> "runn" -> "run"; "using" -> "us" and "use" -> "us".
  if (result.length >= 4 && /([b-df-hj-np-tv-z])\1$/.test(result) && !/(ss|ll|zz)$/.test(result))
    result = result.slice(0, -1);
  if (result.length >= 3 && result.endsWith('e')) result = result.slice(0, -1);
  return result;
}

/**
 * Forms of one word: the same stem, or a long shared beginning ("difference" / "different",
 * "month" / "monthly"), but not a short one ("internet" / "international").
 */
function related(left: string, right: string): boolean {
  if (left === right) return true;
  const shorter = Math.min(left.length, right.length);
  let shared = 0;
  while (shared < shorter && left[shared] === right[shared]) shared++;
  return shared >= 4 && shared >= Math.ceil(shorter * 0.75);
}

/**
 * Index pairs of the longest common subsequence of the two word lists (matching related
 * forms), in order: the words the texts have in the same places.
 */
function alignment(left: readonly string[], right: readonly string[]): Array<readonly [number, number]> {
  const lengths = Array.from({ length: left.length + 1 }, () => new Array<number>(right.length + 1).fill(0));
  for (let i = left.length - 1; i >= 0; i--) {
    for (let j = right.length - 1; j >= 0; j--) {
      lengths[i]![j] = related(left[i]!, right[j]!)
        ? lengths[i + 1]![j + 1]! + 1
        : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (related(left[i]!, right[j]!)) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}
