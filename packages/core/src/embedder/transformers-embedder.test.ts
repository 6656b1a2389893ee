import { describe, expect, it } from 'vitest';
import { EmbedderUnavailableError } from './embedder-unavailable-error';
import { fromTransformers } from './transformers-embedder';

describe('fromTransformers', () => {
  it('names the model in its id, so vectors of different models are never compared', () => {
    expect(fromTransformers('Xenova/all-MiniLM-L6-v2').id).toBe('transformers/Xenova/all-MiniLM-L6-v2/mean');
    expect(fromTransformers('./models/e5', { pooling: 'cls' }).id).toBe('transformers/./models/e5/cls');
  });

  it('throws a typed error naming @huggingface/transformers when it is not installed', async () => {
    // The package is an optional peer that this repository does not install.
    const error = await fromTransformers('Xenova/all-MiniLM-L6-v2')
      .embed(['hello'])
      .catch((caught: unknown) => caught);
    expect(EmbedderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@huggingface/transformers');
  });
});
