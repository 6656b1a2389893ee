import { describe, expect, it } from 'vitest';
import { fromAiSdkEmbeddingModel } from './ai-sdk-embedding-model';
import { fromLangChainEmbeddings } from './langchain-embeddings';

const rawVector = (text: string) => [text.length, 3, 4];

describe('fromLangChainEmbeddings', () => {
  it('normalizes vectors, learns the dimensions, and batches calls', async () => {
    const calls: string[][] = [];
    const embedder = fromLangChainEmbeddings(
      {
        embedDocuments: async (documents) => {
          calls.push(documents);
          return documents.map(rawVector);
        },
      },
      { id: 'fake/embeddings', batchSize: 2 },
    );
    expect(embedder.dimensions).toBe(0);
    const vectors = await embedder.embed(['', 'a', 'abc']);
    expect(calls).toEqual([['', 'a'], ['abc']]);
    expect(Array.from(vectors[0]!)).toEqual([0, expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(embedder.dimensions).toBe(3);
    expect(embedder.id).toBe('fake/embeddings');
  });

  it('rejects a model that changes its dimensions, so mixed vectors are never compared', async () => {
    let size = 3;
    const embedder = fromLangChainEmbeddings(
      { embedDocuments: async (documents) => documents.map(() => new Array(size).fill(1)) },
      { id: 'fake/changing' },
    );
    await embedder.embed(['x']);
    size = 4;
    await expect(embedder.embed(['y'])).rejects.toThrow('expected 3');
  });
});

describe('fromAiSdkEmbeddingModel', () => {
  it('uses provider/modelId as id and respects maxEmbeddingsPerCall', async () => {
    const calls: string[][] = [];
    const embedder = fromAiSdkEmbeddingModel({
      provider: 'fake',
      modelId: 'tiny',
      maxEmbeddingsPerCall: 1,
      doEmbed: async ({ values }) => {
        calls.push(values);
        return { embeddings: values.map(rawVector) };
      },
    });
    const vectors = await embedder.embed(['ab', 'cd']);
    expect(embedder.id).toBe('fake/tiny');
    expect(calls).toEqual([['ab'], ['cd']]);
    expect(Math.hypot(...vectors[1]!)).toBeCloseTo(1, 6);
  });

  it('fails loudly when the model returns too few embeddings', async () => {
    const embedder = fromAiSdkEmbeddingModel(
      { doEmbed: async () => ({ embeddings: [[1, 0]] }) },
      { id: 'broken' },
    );
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow('1 embeddings for 2 texts');
  });
});
