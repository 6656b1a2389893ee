import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGuards } from '../guards/check-guards';
import { LogisticPairVerifier } from './logistic-pair-verifier';
import { OnnxPairVerifier } from './onnx-pair-verifier';
import { shippedModelFile } from './shipped-model';

const pairs = [
  {
    stored: 'How do I reverse a list in Python?',
    query: 'What is the way to reverse a Python list?',
    similarity: 0.93,
  },
  { stored: 'What is 10% of 50?', query: 'What is 6% of 50?', similarity: 0.98 },
  { stored: 'Convert 10 miles to kilometers', query: 'Convert 10 kilometers to miles', similarity: 0.97 },
  { stored: 'Which fruits are acidic?', query: 'Which fruits are not acidic?', similarity: 0.95 },
  { stored: 'What is the capital of France?', query: 'What is the capital of Italy?', similarity: 0.85 },
  { stored: 'Explain photosynthesis', query: 'How do plants make food from sunlight?', similarity: 0.62 },
];

describe('the shipped pair verifier', () => {
  it('gives the same probabilities through onnxruntime-node and through TypeScript', async () => {
    const onnx = await OnnxPairVerifier.load();
    const typescript = LogisticPairVerifier.load();
    const [fromOnnx, fromTypeScript] = await Promise.all([onnx.score(pairs), typescript.score(pairs)]);
    await onnx.close();
    fromOnnx.forEach((probability, index) => {
      expect(Math.abs(probability - fromTypeScript[index]!)).toBeLessThan(1e-5);
    });
    expect(onnx.threshold).toBe(typescript.threshold);
  });

  it('ranks a reworded question far above look-alikes that differ in a number, negation or name', async () => {
    const verifier = LogisticPairVerifier.load();
    const [paraphrase, number, , negation, entity] = await verifier.score(pairs);
    for (const lookAlike of [number, negation, entity]) {
      expect(lookAlike).toBeLessThan(verifier.threshold);
      expect(paraphrase! - lookAlike!).toBeGreaterThan(0.5);
    }
  });

  it('as the cache runs it (guards in front), accepts a question reworded by a function word and rejects every look-alike', async () => {
    const verifier = LogisticPairVerifier.load();
    const reworded = {
      stored: 'How can I reverse a list in Python?',
      query: 'How do I reverse a list in Python?',
      similarity: 0.99,
    };
    const all = [reworded, ...pairs.slice(1, 5)];
    const scores = await verifier.score(all);
    const hits = all.map(
      (pair, index) =>
        checkGuards({ query: pair.stored, context: '' }, { query: pair.query, context: '' }).pass &&
        scores[index]! >= verifier.threshold,
    );
    expect(hits).toEqual([true, false, false, false, false]);
  });

  it('accepts the same question asked again, however short (similarity 1)', async () => {
    const verifier = LogisticPairVerifier.load();
    const repeated = ['What are its main types?', 'Why?', 'How do I sort a list in Python?'];
    const scores = await verifier.score(
      repeated.map((text) => ({ stored: text, query: text, similarity: 1 })),
    );
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(verifier.threshold);
  });

  it('rejects another question about the same subject', async () => {
    const verifier = LogisticPairVerifier.load();
    const [score] = await verifier.score([
      {
        stored: 'How do I sort a list in Python?',
        query: 'What is the difference between a list and a tuple in Python?',
        similarity: 0.8,
      },
    ]);
    expect(score).toBeLessThan(verifier.threshold);
  });

  it('ships the same files in the package as in models/', () => {
    const root = fileURLToPath(new URL('../../../../../models/cache-verifier/', import.meta.url));
    for (const file of ['model.onnx', 'meta.json'] as const) {
      expect(readFileSync(shippedModelFile(file)).equals(readFileSync(`${root}${file}`))).toBe(true);
    }
  });
});
