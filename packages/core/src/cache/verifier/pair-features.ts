import { swappedOpposites } from '../guards/antonym-guard';
import { FUNCTION_WORDS } from '../guards/common-words';
import { missingEntities } from '../guards/entity-guard';
import { countNegations } from '../guards/negation-guard';
import { numberMismatches } from '../guards/number-guard';
import { reversedPairs } from '../guards/order-guard';
import { singular, words } from '../guards/words';
import { differenceProfile } from './difference-features';

/**
 * The verifier's inputs, in order. The model file records this list; a model trained on
 * another list is refused at load time rather than fed the wrong columns.
 */
export const PAIR_FEATURES = [
  'similarity',
  'log-distance',
  'word-jaccard',
  'content-word-jaccard',
  'content-containment',
  'char-trigram-jaccard',
  'differing-content-words',
  'small-substitution',
  'length-ratio',
  'short-text',
  'number-mismatches',
  'entity-mismatches',
  'negation-differs',
  'order-reversed',
  'opposites-swapped',
  'guards-pass',
  'content-only-in-one',
  'typo-matches',
  'order-discordance',
  'ordinals-differ',
  'units-differ',
  'unit-order-reversed',
  'relative-time-differs',
  'negation-count-differs',
  'modality-differs',
  'quantifiers-differ',
  'question-words-differ',
  'symbol-names-differ',
  'tiers-differ',
  'degree-differs',
] as const;

export type PairFeatureName = (typeof PAIR_FEATURES)[number];

/** Features of one (stored, query) pair given the cosine similarity of their embeddings. */
export function pairFeatures(stored: string, query: string, similarity: number): Float32Array {
  const storedWords = words(stored).map(singular);
  const queryWords = words(query).map(singular);
  const storedContent = storedWords.filter((word) => !FUNCTION_WORDS.has(word));
  const queryContent = queryWords.filter((word) => !FUNCTION_WORDS.has(word));
  const storedSet = new Set(storedContent);
  const querySet = new Set(queryContent);
  const onlyStored = [...storedSet].filter((word) => !querySet.has(word)).length;
  const onlyQuery = [...querySet].filter((word) => !storedSet.has(word)).length;
  const numbers = numberMismatches(stored, query);
  const entities = missingEntities(stored, query).length;
  const negationDiffers = countNegations(stored) > 0 !== countNegations(query) > 0;
  const orderReversed = reversedPairs(stored, query).length > 0;
  const oppositesSwapped = swappedOpposites(stored, query).length > 0;
  const clamped = Math.min(1, Math.max(-1, similarity));
  const differs = differenceProfile(stored, query);
  const share = (count: number, cap: number) => Math.min(count, cap) / cap;
  const values: Record<PairFeatureName, number> = {
    similarity: clamped,
    // Spreads out the top of the similarity range, where paraphrases and look-alikes crowd.
    'log-distance': Math.log(1.0001 - clamped) / Math.log(1e-4),
    'word-jaccard': jaccard(storedWords, queryWords),
    'content-word-jaccard': jaccard(storedContent, queryContent),
    'content-containment': containment(storedContent, queryContent),
    'char-trigram-jaccard': jaccard(trigrams(stored), trigrams(query)),
    // Look-alikes are reworded less than paraphrases: one or two words swapped is the risky shape.
    'differing-content-words': Math.min(onlyStored + onlyQuery, 8) / 8,
    'small-substitution': onlyStored > 0 && onlyQuery > 0 && onlyStored + onlyQuery <= 4 ? 1 : 0,
    'length-ratio': lengthRatio(stored, query),
    'short-text': 1 / Math.sqrt(1 + Math.min(storedWords.length, queryWords.length)),
    'number-mismatches': Math.min(numbers, 4) / 4,
    'entity-mismatches': Math.min(entities, 4) / 4,
    'negation-differs': negationDiffers ? 1 : 0,
    'order-reversed': orderReversed ? 1 : 0,
    'opposites-swapped': oppositesSwapped ? 1 : 0,
    'guards-pass':
      numbers === 0 && entities === 0 && !negationDiffers && !orderReversed && !oppositesSwapped ? 1 : 0,
    'content-only-in-one': share(differs.contentOnlyInOne, 8),
    'typo-matches': share(differs.typoMatches, 3),
    'order-discordance': differs.orderDiscordance,
    'ordinals-differ': share(differs.ordinals, 2),
    'units-differ': share(differs.units, 2),
    'unit-order-reversed': differs.unitOrderReversed ? 1 : 0,
    'relative-time-differs': share(differs.relativeTime, 2),
    'negation-count-differs': share(differs.negation, 2),
    'modality-differs': share(differs.modality, 2),
    'quantifiers-differ': share(differs.quantifiers, 2),
    'question-words-differ': share(differs.questionWords, 2),
    'symbol-names-differ': share(differs.symbolNames, 2),
    'tiers-differ': share(differs.tiers, 2),
    'degree-differs': share(differs.degree, 2),
  };
  return Float32Array.from(PAIR_FEATURES, (name) => values[name]);
}

function jaccard(left: readonly string[], right: readonly string[]): number {
  const leftSet = new Set(left);
  const rightSet = new Set(right);
  if (leftSet.size === 0 && rightSet.size === 0) return 1;
  let shared = 0;
  for (const item of leftSet) if (rightSet.has(item)) shared++;
  return shared / (leftSet.size + rightSet.size - shared);
}

/** Share of the shorter text's content words found in the longer one. */
function containment(left: readonly string[], right: readonly string[]): number {
  const [shorter, longer] = new Set(left).size <= new Set(right).size ? [left, right] : [right, left];
  const shorterSet = new Set(shorter);
  if (shorterSet.size === 0) return 1;
  const longerSet = new Set(longer);
  let found = 0;
  for (const item of shorterSet) if (longerSet.has(item)) found++;
  return found / shorterSet.size;
}

function trigrams(text: string): string[] {
  const normalized = ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
  const grams: string[] = [];
  for (let index = 0; index + 3 <= normalized.length; index++) grams.push(normalized.slice(index, index + 3));
  return grams;
}

function lengthRatio(left: string, right: string): number {
  const longer = Math.max(left.length, right.length);
  return longer === 0 ? 1 : Math.min(left.length, right.length) / longer;
}
