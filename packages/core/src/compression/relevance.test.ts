import { describe, expect, it } from 'vitest';
import type { Embedder } from '../embedder/embedder';
import { compressText } from './compress-text';

/** A stand-in embedder that knows synonyms: each concept is one dimension. */
class ConceptEmbedder implements Embedder {
  readonly id = 'concepts-test';
  readonly dimensions = 4;
  calls = 0;
  private readonly concepts: string[][] = [
    ['vehicle', 'car', 'automobile', 'sedan'],
    ['buy', 'purchased', 'bought', 'acquired'],
    ['weather', 'rain', 'sunny', 'forecast'],
    ['garden', 'roses', 'tulips', 'flowers'],
  ];

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls += 1;
    return texts.map((text) => {
      const words = text.toLowerCase().split(/\W+/);
      const vector = Float32Array.from(
        this.concepts.map((concept) => words.filter((word) => concept.includes(word)).length),
      );
      const norm = Math.hypot(...vector) || 1;
      return vector.map((value) => value / norm);
    });
  }
}

const FILLER = [
  'The forecast promises rain on Tuesday and sunny skies by the weekend.',
  'Her garden is full of roses and tulips that bloom early in spring.',
  'Heavy rain is expected again later in the week according to the forecast.',
  'The flowers in the front garden were planted by her grandmother.',
];

function story(): string {
  const lines: string[] = [];
  for (let index = 0; index < 24; index += 1) lines.push(`${FILLER[index % FILLER.length]} Entry ${index}.`);
  lines.splice(13, 0, 'Last month Maria purchased a second-hand red sedan from her neighbour.');
  return lines.join('\n');
}

describe('selection with an embedder', () => {
  it('keeps a sentence that answers the question in other words, which BM25 alone misses', async () => {
    const lexical = await compressText(story(), {
      rate: 0.1,
      question: 'Which vehicle did she buy?',
      minTokens: 0,
    });
    expect(lexical.text).not.toContain('red sedan');
    const embedder = new ConceptEmbedder();
    const semantic = await compressText(story(), {
      rate: 0.1,
      question: 'Which vehicle did she buy?',
      embedder,
      weights: { bm25: 1, embedding: 2 },
      minTokens: 0,
    });
    expect(semantic.text).toContain('Last month Maria purchased a second-hand red sedan from her neighbour.');
    expect(embedder.calls).toBe(1);
  });
});
