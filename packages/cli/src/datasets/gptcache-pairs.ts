import { readFile } from 'node:fs/promises';
import { DatasetError } from './dataset-error';
import type { LabelledPair } from './labelled-pairs';

type GptCacheRecord = { origin: string; similar: string };

/**
 * Converts GPTCache's benchmark file (`[{origin, similar}]`, every pair a paraphrase) to labelled
 * pairs. The file has no should-miss pairs; with `negatives`, each `origin` is also paired with
 * the `similar` of the other record that shares the most words with it — a real, on-topic
 * question that asks something else — labelled 0.
 */
export function convertGptCachePairs(
  records: readonly GptCacheRecord[],
  options: { negatives?: boolean } = {},
): LabelledPair[] {
  const pairs: LabelledPair[] = records.map((record) => ({ a: record.origin, b: record.similar, label: 1 }));
  if (!options.negatives || records.length < 2) return pairs;
  const wordSets = records.map((record) => words(`${record.origin} ${record.similar}`));
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    let best = -1;
    let bestOverlap = -1;
    for (let other = 0; other < records.length; other++) {
      if (other === index) continue;
      const candidate = records[other]!;
      // A record repeated in the file (same text) is not a negative.
      if (
        normalize(candidate.origin) === normalize(record.origin) ||
        normalize(candidate.similar) === normalize(record.similar)
      )
        continue;
      const overlap = jaccard(wordSets[index]!, wordSets[other]!);
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        best = other;
      }
    }
    if (best !== -1) pairs.push({ a: record.origin, b: records[best]!.similar, label: 0 });
  }
  return pairs;
}

export async function readGptCacheFile(path: string): Promise<GptCacheRecord[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DatasetError(`Cannot read GPTCache file ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new DatasetError(`${path}: expected a JSON array of {origin, similar}`);
  return value.map((item, index) => {
    const record = item as Record<string, unknown>;
    if (typeof record?.origin !== 'string' || typeof record.similar !== 'string') {
      throw new DatasetError(`${path}[${index}]: "origin" and "similar" must be strings`);
    }
    return { origin: record.origin, similar: record.similar };
  });
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

function jaccard(left: Set<string>, right: Set<string>): number {
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}

function normalize(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}
