import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder';
import { HashingEmbedder } from './hashing-embedder';
import { shareStageEmbedder } from './shared-stage-embedder';

/** A hashing embedder that records what it was asked to embed. */
function counting(dimensions = 64): Embedder & { asked: string[][] } {
  const inner = new HashingEmbedder({ dimensions });
  const asked: string[][] = [];
  return {
    id: inner.id,
    dimensions,
    asked,
    embed: (texts) => {
      asked.push(texts);
      return inner.embed(texts);
    },
  };
}

describe('shareStageEmbedder', () => {
  it('embeds a text the cache and the router both ask for once, even when they ask at the same time', async () => {
    const model = counting();
    const { cache, router } = shareStageEmbedder({ embedder: model }, { embedder: counting() });
    const [first, second] = await Promise.all([
      cache.embedder?.embed(['How tall is it?']),
      router.embedder?.embed(['How tall is it?']),
    ]);
    expect(second).toEqual(first);
    await router.embedder?.embed(['How tall is it?']);
    expect(model.asked).toEqual([['How tall is it?']]);
  });

  it('leaves different models, and a stage given a ready engine, with their own embedders', async () => {
    const small = counting(32);
    const large = counting(64);
    expect(small.id).not.toBe(large.id);
    const apart = shareStageEmbedder({ embedder: small }, { embedder: large });
    expect(apart.cache.embedder).toBe(small);
    expect(apart.router.embedder).toBe(large);
    const ready = shareStageEmbedder({ engine: {} }, { embedder: large });
    expect(ready.router.embedder).toBe(large);
  });
});
