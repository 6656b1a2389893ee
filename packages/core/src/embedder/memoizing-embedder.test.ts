import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder';
import { HashingEmbedder } from './hashing-embedder';
import { MemoizingEmbedder } from './memoizing-embedder';

class CountingEmbedder implements Embedder {
  readonly id = 'counting';
  readonly dimensions = 64;
  readonly calls: string[][] = [];
  private readonly inner = new HashingEmbedder({ dimensions: 64 });
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    return this.inner.embed(texts);
  }
}

describe('MemoizingEmbedder', () => {
  it('embeds a text once even when several stages ask for it, concurrently or later', async () => {
    const inner = new CountingEmbedder();
    const embedder = new MemoizingEmbedder(inner);
    const [first, second] = await Promise.all([
      embedder.embed(['what is a cache?']),
      embedder.embed(['what is a cache?']),
    ]);
    const later = await embedder.embed(['what is a cache?', 'what is a router?']);
    expect(inner.calls).toEqual([['what is a cache?'], ['what is a router?']]);
    expect(first![0]).toEqual(second![0]);
    expect(later[0]).toEqual(first![0]);
    expect(embedder.id).toBe('counting');
  });

  it('drops the least recently used text when full', async () => {
    const inner = new CountingEmbedder();
    const embedder = new MemoizingEmbedder(inner, { maxEntries: 2 });
    await embedder.embed(['a', 'b']);
    await embedder.embed(['a']); // 'a' is now the most recent
    await embedder.embed(['c']); // evicts 'b'
    await embedder.embed(['a', 'b']);
    expect(inner.calls).toEqual([['a', 'b'], ['c'], ['b']]);
    expect(embedder.size).toBe(2);
  });

  it('does not remember a failed call', async () => {
    let fail = true;
    const flaky: Embedder = {
      id: 'flaky',
      dimensions: 8,
      embed: async (texts) => {
        if (fail) throw new Error('provider down');
        return texts.map(() => new Float32Array(8).fill(0.5));
      },
    };
    const embedder = new MemoizingEmbedder(flaky);
    await expect(embedder.embed(['x'])).rejects.toThrow('provider down');
    fail = false;
    expect(await embedder.embed(['x'])).toHaveLength(1);
  });
});
