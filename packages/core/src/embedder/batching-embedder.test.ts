import { describe, expect, it } from 'vitest';
import { BatchingEmbedder } from './batching-embedder';
import type { Embedder } from './embedder';
import { HashingEmbedder } from './hashing-embedder';

class CountingEmbedder implements Embedder {
  readonly id = 'counting';
  readonly dimensions = 64;
  readonly calls: string[][] = [];
  failWith: Error | undefined;
  private readonly inner = new HashingEmbedder({ dimensions: 64 });
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    if (this.failWith) throw this.failWith;
    return this.inner.embed(texts);
  }
}

describe('BatchingEmbedder', () => {
  it('answers concurrent requests with one call, embedding a text asked twice once', async () => {
    const inner = new CountingEmbedder();
    const embedder = new BatchingEmbedder(inner);
    const [first, second, third] = await Promise.all([
      embedder.embed(['what is a cache?']),
      embedder.embed(['what is a router?', 'what is a cache?']),
      embedder.embed(['how much does it cost?']),
    ]);
    expect(inner.calls).toEqual([['what is a cache?', 'what is a router?', 'how much does it cost?']]);
    const alone = await new HashingEmbedder({ dimensions: 64 }).embed([
      'what is a cache?',
      'what is a router?',
    ]);
    expect(first).toEqual([alone[0]]);
    expect(second).toEqual([alone[1], alone[0]]);
    expect(third).toHaveLength(1);
    expect(embedder.id).toBe('counting');
  });

  it('keeps batches within maxBatch and calls again for requests made later', async () => {
    const inner = new CountingEmbedder();
    const embedder = new BatchingEmbedder(inner, { maxBatch: 2 });
    await Promise.all([embedder.embed(['a']), embedder.embed(['b']), embedder.embed(['c'])]);
    await embedder.embed(['d']);
    expect(inner.calls).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  it('rejects every request of a failed batch, and the next batch works again', async () => {
    const inner = new CountingEmbedder();
    const embedder = new BatchingEmbedder(inner);
    inner.failWith = new Error('model down');
    const results = await Promise.allSettled([embedder.embed(['a']), embedder.embed(['b'])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    inner.failWith = undefined;
    expect(await embedder.embed(['a'])).toHaveLength(1);
  });
});

describe('BatchingEmbedder with remember', () => {
  it('embeds a text the cache and then the router ask for once, and forgets the oldest', async () => {
    const inner = new CountingEmbedder();
    const embedder = new BatchingEmbedder(inner, { remember: 2 });
    const [forCache] = await embedder.embed(['How do I reset my password?']);
    const [forRouter] = await embedder.embed(['How do I reset my password?']);
    expect(forRouter).toBe(forCache);
    await embedder.embed(['b']);
    await embedder.embed(['c']);
    await embedder.embed(['How do I reset my password?']);
    expect(inner.calls).toEqual([
      ['How do I reset my password?'],
      ['b'],
      ['c'],
      ['How do I reset my password?'],
    ]);
  });
});
