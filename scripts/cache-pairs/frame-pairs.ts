import { FUNCTION_WORDS } from '../../packages/core/src/cache/guards/common-words';
import { singular, words } from '../../packages/core/src/cache/guards/words';
import type { LabelledPair } from './pair-types';
import { normalizeForId } from './sources';

/**
 * Same-frame, different-topic negatives from real questions: two questions of one split that open
 * with the same three words ("How do I install docker on ubuntu?" / "How do I copy files with scp?",
 * "Which planets have moons?" / "Which planets are visible tonight?") but share at most a third of
 * their content words, and were never labelled duplicates of each other. They teach the verifier
 * that a shared frame is not a shared question.
 */
export function sameFramePairs(
  pairs: readonly LabelledPair[],
  options: { maxPairs: number },
): LabelledPair[] {
  const linked = new Set<string>();
  const questions = new Map<string, string>();
  for (const pair of pairs) {
    linked.add(linkKey(pair.a, pair.b));
    for (const text of [pair.a, pair.b]) questions.set(normalizeForId(text), text);
  }
  const byFrame = new Map<string, string[]>();
  for (const [normalized, text] of [...questions].sort(([left], [right]) => left.localeCompare(right))) {
    const frame = normalized.split(' ').slice(0, 3).join(' ');
    if (frame.split(' ').length < 3) continue;
    const group = byFrame.get(frame) ?? [];
    group.push(text);
    byFrame.set(frame, group);
  }
  const found: LabelledPair[] = [];
  for (const [frame, group] of byFrame) {
    for (let index = 0; index + 1 < group.length && found.length < options.maxPairs; index += 2) {
      const a = group[index]!;
      const b = group[index + 1]!;
      if (linked.has(linkKey(a, b)) || contentOverlap(a, b) > 1 / 3) continue;
      found.push({ a, b, label: 0, kind: 'same-frame', source: 'qqp', row: frame });
    }
    if (found.length >= options.maxPairs) break;
  }
  return found;
}

function linkKey(a: string, b: string): string {
  const [left, right] = [normalizeForId(a), normalizeForId(b)].sort();
  return `${left}\u0000${right}`;
}

function contentOverlap(a: string, b: string): number {
  const content = (text: string) =>
    new Set(
      words(text)
        .map(singular)
        .filter((word) => !FUNCTION_WORDS.has(word)),
    );
  const left = content(a);
  const right = content(b);
  const shared = [...left].filter((word) => right.has(word)).length;
  return shared / Math.max(1, Math.min(left.size, right.size));
}
