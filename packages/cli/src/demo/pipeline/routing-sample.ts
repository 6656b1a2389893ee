import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importRouteLlm, ROUTELLM_PRICES } from '../../bench/routing/import-routellm';
import type { ModelPrice } from '../../bench/routing/replay-record';

/** The recorded pair: RouteLLM's weak and strong model on GSM8K, with their full answers. */
export const WEAK_MODEL = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
export const STRONG_MODEL = 'gpt-4-1106-preview';
export const RECORDED_PRICES: { weak: ModelPrice; strong: ModelPrice } = {
  weak: ROUTELLM_PRICES[WEAK_MODEL]!,
  strong: ROUTELLM_PRICES[STRONG_MODEL]!,
};

/** One GSM8K question with what each recorded model answered and whether it was right. */
export type RecordedQuestion = {
  id: string;
  prompt: string;
  weak: { text: string; correct: boolean };
  strong: { text: string; correct: boolean };
};

export type RoutingSample = { questions: RecordedQuestion[]; source: string } | { missing: string };

/** Where the recorded answers live, relative to the repository root (never copied into it). */
export const ROUTING_DATA = join(
  '..',
  'shared',
  'datasets',
  'routing',
  'routellm',
  'gsm8k',
  'gsm8k_responses.csv',
);

/**
 * A small, fixed sample of recorded GSM8K questions: the records ordered by a seeded hash of their
 * id (the same sample on every machine), the first `size` with both answers recorded, so easy
 * questions (the weak model was right) and hard ones come as they come in the data.
 */
export function loadRoutingSample(path: string, size: number, seed = 7): RoutingSample {
  if (!existsSync(path))
    return { missing: `${path} not found (clone the shared datasets beside the repository)` };
  const dataset = importRouteLlm(path);
  const questions = dataset.records
    .filter((record) => record.models[WEAK_MODEL]?.response && record.models[STRONG_MODEL]?.response)
    .map((record) => ({ record, order: seededHash(`${seed}:${record.id}`) }))
    .sort((a, b) => a.order - b.order)
    .slice(0, size)
    .map(({ record }): RecordedQuestion => {
      const weak = record.models[WEAK_MODEL]!;
      const strong = record.models[STRONG_MODEL]!;
      return {
        id: record.id,
        prompt: record.prompt,
        weak: { text: weak.response ?? '', correct: weak.correct === 1 },
        strong: { text: strong.response ?? '', correct: strong.correct === 1 },
      };
    });
  return { questions, source: `${path} (${questions.length} of ${dataset.records.length}, seed ${seed})` };
}

/** FNV-1a: a stable order that depends only on the text. */
function seededHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
