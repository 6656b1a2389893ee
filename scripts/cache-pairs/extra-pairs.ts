import { FUNCTION_WORDS } from '../../packages/core/src/cache/guards/common-words';
import { REQUEST_WORDS, stem } from '../../packages/core/src/cache/guards/substitution-guard';
import type { Random } from './random';

/**
 * Pairs the paraphrase datasets lack, so the verifier does not extrapolate outside them:
 * identical and near-identical positives (the same question asked again, re-cased, with a
 * function word changed), and negatives that stay on the subject but ask something else (one
 * content word swapped, or another question about the same thing).
 */

/** Small edits that keep the question: case, punctuation, a function word, a contraction. */
const NEAR_IDENTICAL_EDITS: ReadonlyArray<(text: string) => string | undefined> = [
  (text) => text.toLowerCase().replace(/[?.!]+\s*$/, ''),
  (text) => (/[?.!]\s*$/.test(text) ? text.replace(/[?.!]+\s*$/, '') : `${text}?`),
  (text) => replaceFirst(text, /\bhow do i\b/i, 'How can I'),
  (text) => replaceFirst(text, /\bhow can i\b/i, 'How do I'),
  (text) => replaceFirst(text, /\bwhat is\b/i, "What's"),
  (text) => replaceFirst(text, /\bwhat's\b/i, 'What is'),
  (text) => replaceFirst(text, /\bcan you\b/i, 'could you'),
  (text) =>
    replaceFirst(text, /^(what|how|why|which|who|when|where)\b/i, (word) => `So ${word.toLowerCase()}`),
  (text) => `${text.trim()} Thanks.`,
  (text) => `Please: ${text.trim()}`,
];

function replaceFirst(
  text: string,
  pattern: RegExp,
  replacement: string | ((found: string) => string),
): string | undefined {
  if (!pattern.test(text)) return undefined;
  return typeof replacement === 'string'
    ? text.replace(pattern, replacement)
    : text.replace(pattern, (found) => replacement(found));
}

/** A near-identical rewrite of `text`, or undefined when no edit changes it. */
export function nearIdentical(text: string, random: Random): string | undefined {
  for (const edit of random.shuffle(NEAR_IDENTICAL_EDITS)) {
    const edited = edit(text);
    if (edited && edited !== text) return edited;
  }
  return undefined;
}

/** Lower-case content words of a text that a swap may replace or use ("annual", "sort"). */
export function swappableWords(text: string): string[] {
  return (text.match(/(?<![\w`'’./-])[a-z]{4,}(?![\w`'’/(-])/g) ?? []).filter(
    (word) => !FUNCTION_WORDS.has(word),
  );
}

/**
 * `text` with one lower-case content word replaced by an unrelated one from `pool` (words of
 * other rows): "refund policy for annual plans" -> "... for monthly plans". The replacement
 * shares the word's ending class (-ing, -ed, -ly, -s or none) so the sentence stays plausible.
 */
export function substituteWord(text: string, pool: readonly string[], random: Random): string | undefined {
  const own = swappableWords(text);
  if (own.length === 0 || pool.length === 0) return undefined;
  const ownStems = new Set(own.map(stem));
  const target = random.pick(own);
  const candidates = pool.filter(
    (word) =>
      endingClass(word) === endingClass(target) &&
      !ownStems.has(stem(word)) &&
      !sharesBeginning(stem(word), stem(target)),
  );
  if (candidates.length === 0) return undefined;
  const replacement = random.pick(candidates);
  return text.replace(new RegExp(`(?<![\\w\`'’./-])${target}(?![\\w\`'’/(-])`), replacement);
}

function endingClass(word: string): string {
  return /ing$/.test(word)
    ? 'ing'
    : /ed$/.test(word)
      ? 'ed'
      : /ly$/.test(word)
        ? 'ly'
        : /s$/.test(word)
          ? 's'
          : '';
}

function sharesBeginning(left: string, right: string): boolean {
  return left.slice(0, 4) === right.slice(0, 4);
}

/**
 * For each text, another text on the same subject that asks something else: they share a rare
 * content word ("python", "list") but at most 40% of their content words, e.g. "What is the
 * difference between a list and a tuple in Python?" / "How do I sort a list in Python?".
 * Returns index pairs; a text gets at most one partner.
 */
export function sameSubjectPairs(texts: readonly string[]): Array<[number, number]> {
  const contents = texts.map(
    (text) =>
      new Set(
        swappableWords(text.toLowerCase())
          .filter((word) => !REQUEST_WORDS.has(word))
          .map(stem),
      ),
  );
  const frequency = new Map<string, number>();
  for (const words of contents) for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const byWord = new Map<string, number[]>();
  contents.forEach((words, index) => {
    for (const word of words) byWord.set(word, [...(byWord.get(word) ?? []), index]);
  });
  const pairs: Array<[number, number]> = [];
  contents.forEach((words, index) => {
    let best: { other: number; score: number } | undefined;
    for (const word of words) {
      const holders = byWord.get(word)!;
      // A word in many texts ("dataset") is not a subject; one in a single text pairs nothing.
      if (holders.length < 2 || holders.length > 8) continue;
      for (const other of holders) {
        if (other === index) continue;
        const shared = [...words].filter((item) => contents[other]!.has(item));
        const union = words.size + contents[other]!.size - shared.length;
        // Sharing more is too often the same question reworded ("significance" / "importance" of X).
        if (shared.length / union > 0.4) continue;
        const score = shared.reduce((sum, item) => sum + 1 / frequency.get(item)!, 0);
        if (!best || score > best.score) best = { other, score };
      }
    }
    if (best) pairs.push([index, best.other]);
  });
  return pairs;
}
