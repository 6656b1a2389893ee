import { describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from './use-lite-embedder';
import { cosineSimilarity } from './vector-math';

describe('UseLiteEmbedder', () => {
  it('returns unit vectors where a paraphrase is closer than an unrelated question', async () => {
    const embedder = new UseLiteEmbedder();
    const [question, paraphrase, unrelated] = await embedder.embed([
      'How do I reverse a list in Python?',
      'What is the way to reverse a Python list?',
      'What is the best time of year to visit Japan?',
    ]);
    expect(question).toHaveLength(512);
    expect(Math.hypot(...question!)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(question!, paraphrase!)).toBeGreaterThan(
      cosineSimilarity(question!, unrelated!) + 0.3,
    );
  });

  it('gives the same vectors whatever the batch size', async () => {
    const texts = ['first question', 'a second, longer question about caching', 'third'];
    const oneBatch = await new UseLiteEmbedder({ batchSize: 32 }).embed(texts);
    const oneByOne = await new UseLiteEmbedder({ batchSize: 1 }).embed(texts);
    oneBatch.forEach((vector, index) => {
      expect(cosineSimilarity(vector, oneByOne[index]!)).toBeGreaterThan(0.9999);
    });
  });

  it('embeds a batch that ends with an empty text, on both runtimes, as an empty text embeds elsewhere', async () => {
    for (const runtime of ['tfjs', 'auto'] as const) {
      // Two batch sizes: two batchers, so the second call is not answered from the first's memory.
      const trailing = new UseLiteEmbedder({ runtime, batchSize: 32 });
      const leading = new UseLiteEmbedder({ runtime, batchSize: 31 });
      const [question, empty] = await trailing.embed(['How do I reset my password?', '']);
      const [emptyFirst] = await leading.embed(['', 'What is the refund policy?']);
      expect(question).toHaveLength(512);
      expect(cosineSimilarity(empty!, emptyFirst!)).toBeGreaterThan(0.9999);
    }
  });

  it('embeds nothing for no texts', async () => {
    expect(await new UseLiteEmbedder().embed([])).toEqual([]);
  });
});

describe('UseLiteEmbedder, concurrent requests', () => {
  it('answers requests made together with the vectors each would get alone', async () => {
    const embedder = new UseLiteEmbedder();
    const texts = [
      'How do I reset my password?',
      'What is the refund policy?',
      'How do I reset my password?',
    ];
    const together = await Promise.all(texts.map((text) => embedder.embed([text])));
    for (const [index, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(cosineSimilarity(together[index]![0]!, alone!)).toBeGreaterThan(0.9999);
    }
  });
});
