import type { LookAlikeKind } from './pair-types';
import type { Random } from './random';

/**
 * Makes a look-alike of a text by changing one detail, or returns undefined when the text has
 * no such detail. The lists here are the data builder's own (they overlap the guards' lists
 * only in part), so the guards are not graded on their own vocabulary alone.
 */
export type Perturbation = (
  text: string,
  random: Random,
  entityPool: readonly string[],
) => string | undefined;

export const PERTURBATIONS: Record<
  Exclude<LookAlikeKind, 'neighbour' | 'substitution' | 'same-subject' | 'same-frame'>,
  Perturbation
> = {
  number: changeNumber,
  entity: swapEntity,
  negation: flipNegation,
  order: swapOrder,
  antonym: swapAntonym,
};

function changeNumber(text: string, random: Random): string | undefined {
  const matches = [...text.matchAll(/\b\d+(?:\.\d+)?\b/g)].filter(
    (match) => !/^\d{4}$/.test(match[0]) || random.chance(0.5),
  );
  if (matches.length === 0) return undefined;
  const match = random.pick(matches);
  const value = Number(match[0]);
  const decimals = match[0].includes('.') ? match[0].split('.')[1]!.length : 0;
  let changed = value;
  while (changed === value || changed < 0) {
    const delta =
      Math.max(1, Math.round(Math.abs(value) * random.next() * 0.6)) * (random.chance(0.5) ? 1 : -1);
    changed = value + delta / 10 ** decimals;
  }
  const start = match.index ?? 0;
  return text.slice(0, start) + changed.toFixed(decimals) + text.slice(start + match[0].length);
}

/** Capitalized words that are not first in their sentence: names, products, places. */
export function namesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/(?<![.?!:]\s)(?<!^)\b([A-Z][a-zA-Z0-9]{2,})\b/g)) {
    if (!SENTENCE_WORDS.has(match[1]!.toLowerCase())) names.push(match[1]!);
  }
  return names;
}

const SENTENCE_WORDS = new Set([
  'the',
  'what',
  'how',
  'why',
  'who',
  'which',
  'when',
  'where',
  'can',
  'yes',
  'this',
  'it',
  'you',
]);

function swapEntity(text: string, random: Random, entityPool: readonly string[]): string | undefined {
  const names = namesIn(text);
  if (names.length === 0 || entityPool.length === 0) return undefined;
  const target = random.pick(names);
  const lowerText = text.toLowerCase();
  const candidates = entityPool.filter(
    (entity) => entity !== target && !lowerText.includes(entity.toLowerCase()),
  );
  if (candidates.length === 0) return undefined;
  const replacement = random.pick(candidates);
  return text.replace(new RegExp(`\\b${target}\\b`), replacement);
}

function flipNegation(text: string): string | undefined {
  const removals: Array<[RegExp, string]> = [
    [/\b(is|are|was|were|can|could|does|do|did|will|would|should|has|have) not\b/i, '$1'],
    [/\b(is|are|was|were|could|does|do|did|would|should|has|have)n['’]t\b/i, '$1'],
    [/\bcannot\b/i, 'can'],
    [/\bwithout\b/i, 'with'],
    [/\bnever\b/i, 'always'],
  ];
  for (const [pattern, replacement] of removals) {
    if (pattern.test(text)) return text.replace(pattern, replacement);
  }
  const auxiliary = /\b(is|are|was|were|can|could|does|do|did|will|would|should|has|have)\b/i;
  if (auxiliary.test(text))
    return text.replace(auxiliary, (word) => (word.toLowerCase() === 'can' ? `${word}not` : `${word} not`));
  const verb = text.match(/\b(use|need|want|include|support|allow|require|work|affect|help|cause)s?\b/i);
  if (verb) return text.replace(verb[0], `does not ${verb[1]}`);
  return undefined;
}

function swapOrder(text: string): string | undefined {
  const item = String.raw`(?!(?:a|an|the)\b)([A-Za-z][\w-]*)`;
  const patterns: RegExp[] = [
    new RegExp(String.raw`\bfrom ${item} (?:to|into) ${item}`, 'd'),
    /\b([A-Z][\w-]*|\d[\w-]*) (?:to|into) ([A-Z][\w-]*)/d,
    /\b([A-Z][\w-]*) (?:is |are )?\w+er than ([A-Z][\w-]*)/d,
    new RegExp(
      String.raw`\bconvert(?:ing)? (?:a |an |the )?${item} (?:to|into) (?:a |an |the )?${item}`,
      'di',
    ),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    const firstAt = match?.indices?.[1];
    const secondAt = match?.indices?.[2];
    if (!match || !firstAt || !secondAt) continue;
    const first = match[1]!;
    const second = match[2]!;
    if (first.toLowerCase() === second.toLowerCase()) continue;
    return (
      text.slice(0, firstAt[0]) +
      second +
      text.slice(firstAt[1], secondAt[0]) +
      first +
      text.slice(secondAt[1])
    );
  }
  return undefined;
}

/** Opposites, written for the data builder; some are not in the guard's list on purpose. */
const OPPOSITE_WORDS: Array<[string, string]> = [
  ['largest', 'smallest'],
  ['biggest', 'smallest'],
  ['increase', 'decrease'],
  ['increases', 'decreases'],
  ['advantages', 'disadvantages'],
  ['benefits', 'drawbacks'],
  ['best', 'worst'],
  ['more', 'less'],
  ['before', 'after'],
  ['first', 'last'],
  ['highest', 'lowest'],
  ['high', 'low'],
  ['positive', 'negative'],
  ['north', 'south'],
  ['start', 'end'],
  ['maximum', 'minimum'],
  ['import', 'export'],
  ['buy', 'sell'],
  ['hot', 'cold'],
  ['include', 'exclude'],
  ['strong', 'weak'],
  ['strengths', 'weaknesses'],
  ['rich', 'poor'],
  ['early', 'late'],
  ['success', 'failure'],
  ['win', 'lose'],
  ['open', 'close'],
  ['input', 'output'],
  ['above', 'below'],
  ['fast', 'slow'],
  ['faster', 'slower'],
  ['easy', 'difficult'],
  ['cheap', 'expensive'],
  ['long', 'short'],
  ['oldest', 'newest'],
  ['private', 'public'],
  ['internal', 'external'],
  ['upload', 'download'],
  ['encode', 'decode'],
  ['add', 'remove'],
  ['enable', 'disable'],
  ['allow', 'prevent'],
  ['inside', 'outside'],
];

function swapAntonym(text: string, random: Random): string | undefined {
  const options: Array<{ word: string; opposite: string }> = [];
  for (const [left, right] of OPPOSITE_WORDS) {
    if (new RegExp(`\\b${left}\\b`, 'i').test(text)) options.push({ word: left, opposite: right });
    if (new RegExp(`\\b${right}\\b`, 'i').test(text)) options.push({ word: right, opposite: left });
  }
  if (options.length === 0) return undefined;
  const { word, opposite } = random.pick(options);
  return text.replace(new RegExp(`\\b${word}\\b`, 'i'), (found) =>
    found[0] === found[0]!.toUpperCase() ? opposite[0]!.toUpperCase() + opposite.slice(1) : opposite,
  );
}
