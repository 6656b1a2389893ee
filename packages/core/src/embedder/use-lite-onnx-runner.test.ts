import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from './use-lite-embedder';
import { cosineSimilarity } from './vector-math';

const QQP = new URL('../../../../../shared/datasets/cache/qqp/pairs.jsonl.gz', import.meta.url);

/** Questions as users write them: short, long, punctuation, digits, blank lines, beyond 128 tokens. */
const SAMPLES = [
  'How do I reset my password?',
  'whats the diff between a list and a tuple in python??',
  'Why is the sky blue?\n\nAnd why is it red at sunset?',
  'Order #4521 arrived damaged on 12/03 — can I get a refund or a replacement?',
  `${'A very long question that keeps going and going '.repeat(20)}end?`,
  'a',
  '',
];

/** The first questions of the QQP pairs, when the shared datasets are present (optional for unit tests). */
function qqpQuestions(count: number): string[] {
  try {
    const lines = gunzipSync(readFileSync(QQP)).toString('utf8').split('\n', count);
    return lines.filter(Boolean).map((line) => (JSON.parse(line) as { a: string }).a);
  } catch {
    return [];
  }
}

describe('UseLiteEmbedder on onnxruntime', () => {
  it('runs on onnxruntime when it is installed, with the vectors tfjs gives', async () => {
    const fast = new UseLiteEmbedder();
    const tfjs = new UseLiteEmbedder({ runtime: 'tfjs' });
    expect(await fast.runtime()).toBe('onnxruntime');
    expect(await tfjs.runtime()).toBe('tfjs');
    const texts = [...SAMPLES, ...qqpQuestions(100)];
    const [expected, actual] = [await tfjs.embed(texts), await fast.embed(texts)];
    const similarities = expected.map((vector, index) => cosineSimilarity(vector, actual[index]!));
    expect(Math.min(...similarities)).toBeGreaterThanOrEqual(0.9999);
    // One at a time (a lone request) gives the same vectors as the batch.
    const alone = await new UseLiteEmbedder({ batchSize: 1 }).embed(SAMPLES.slice(0, 3));
    alone.forEach((vector, index) => {
      expect(cosineSimilarity(vector, expected[index]!)).toBeGreaterThanOrEqual(0.9999);
    });
  }, 120_000);
});
