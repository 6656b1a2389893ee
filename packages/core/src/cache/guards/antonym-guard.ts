import { GUARD_PASS, type GuardOutcome } from './guard-types';
import { words } from './words';

/**
 * Opposites that leave the rest of a question unchanged ("advantages" / "disadvantages",
 * "increase" / "decrease", "fastest" / "slowest"). Each entry lists the word forms of both sides.
 */
const OPPOSITES: ReadonlyArray<readonly [string, string]> = [
  ['advantage advantages', 'disadvantage disadvantages'],
  ['pro pros', 'con cons'],
  ['benefit benefits', 'drawback drawbacks risk risks downside downsides'],
  ['strength strengths', 'weakness weaknesses'],
  [
    'increase increases increased increasing',
    'decrease decreases decreased decreasing reduce reduces reduced',
  ],
  ['rise rises rising', 'fall falls falling'],
  ['best', 'worst'],
  ['better', 'worse'],
  ['most', 'least'],
  ['more', 'less fewer'],
  ['high higher highest', 'low lower lowest'],
  ['large larger largest big bigger biggest', 'small smaller smallest little'],
  ['long longer longest', 'short shorter shortest'],
  ['fast faster fastest quick quicker quickest', 'slow slower slowest'],
  ['cheap cheaper cheapest', 'expensive costlier'],
  ['easy easier easiest', 'hard harder hardest difficult'],
  ['hot hotter hottest warm warmer', 'cold colder coldest cool cooler'],
  ['maximum max maximize maximise', 'minimum min minimize minimise'],
  ['buy buying bought', 'sell selling sold'],
  ['import imports importing', 'export exports exporting'],
  ['before', 'after'],
  ['above', 'below'],
  ['inside', 'outside'],
  ['positive', 'negative'],
  ['true', 'false'],
  ['first', 'last'],
  ['start starts begin begins beginning', 'end ends ending stop stops'],
  ['open opens opening', 'close closes closing'],
  ['enable enables enabled enabling', 'disable disables disabled disabling'],
  ['encrypt encrypts encryption encrypting', 'decrypt decrypts decryption decrypting'],
  ['encode encodes encoding', 'decode decodes decoding'],
  ['compress compresses compression', 'decompress decompresses decompression'],
  ['serialize serialise serialization', 'deserialize deserialise deserialization'],
  ['upload uploads uploading', 'download downloads downloading'],
  ['install installs installing', 'uninstall uninstalls uninstalling'],
  ['add adds adding', 'remove removes removing delete deletes deleting'],
  ['push', 'pull'],
  ['win wins winning', 'lose loses losing'],
  ['gain gains', 'loss losses'],
  ['include includes including', 'exclude excludes excluding'],
  ['accept accepts', 'reject rejects'],
  ['allow allows allowed', 'forbid forbids forbidden block blocks'],
  ['ascending asc', 'descending desc'],
  ['synchronous sync', 'asynchronous async'],
  ['input inputs', 'output outputs'],
  ['north northern', 'south southern'],
  ['east eastern', 'west western'],
  ['legal', 'illegal'],
  ['possible', 'impossible'],
  ['visible', 'invisible hidden'],
  ['safe', 'unsafe dangerous'],
  ['healthy', 'unhealthy'],
  ['love loves', 'hate hates'],
  ['agree agrees', 'disagree disagrees'],
  ['men man male boys', 'women woman female girls'],
  ['summer', 'winter'],
  ['day daytime', 'night nighttime'],
  ['morning', 'evening'],
  ['rich', 'poor'],
  ['public', 'private'],
  ['internal', 'external'],
  ['strong', 'weak'],
  ['old older oldest', 'young younger youngest'],
];

const SIDES = OPPOSITES.map(
  ([left, right]) => [new Set(left.split(' ')), new Set(right.split(' '))] as const,
);

/** Fails when one text uses a word and the other its opposite (and not the word itself). */
export function antonymGuard(stored: string, query: string): GuardOutcome {
  const swapped = swappedOpposites(stored, query);
  if (swapped.length === 0) return GUARD_PASS;
  return { pass: false, reason: `opposite words: ${swapped.join(', ')}` };
}

/**
 * The opposite pairs that are swapped between the texts, as "word/opposite": one text uses a
 * side more often and the other side less often than the other text does (so a text that
 * mentions "download_config" and "upload" still differs from one with "download" twice).
 */
export function swappedOpposites(stored: string, query: string): string[] {
  const left = counts(words(stored));
  const right = counts(words(query));
  const swapped: string[] = [];
  for (const [first, second] of SIDES) {
    const firstDifference = occurrences(left, first) - occurrences(right, first);
    const secondDifference = occurrences(left, second) - occurrences(right, second);
    if (firstDifference * secondDifference < 0) swapped.push(`${[...first][0]}/${[...second][0]}`);
  }
  return swapped;
}

function counts(list: readonly string[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const word of list) result.set(word, (result.get(word) ?? 0) + 1);
  return result;
}

function occurrences(text: ReadonlyMap<string, number>, forms: ReadonlySet<string>): number {
  let total = 0;
  for (const form of forms) total += text.get(form) ?? 0;
  return total;
}
