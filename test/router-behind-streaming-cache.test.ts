import { fixed, HashingEmbedder } from '@tokenomics/core';
import { TokenomicsCache, withStreamingCache } from '@tokenomics/langchain-cache';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { getRouteMetadata, RouterChatModel } from '@tokenomics/langchain-router';
import { describe, expect, it } from 'vitest';

/**
 * The adapters compose only in user code: neither depends on the other, so the router sitting
 * behind the streaming cache wrapper is tested here, across packages.
 */
function cachedRouter() {
  const cheap = new ScriptedChatModel({
    model: 'small-1',
    answers: () => ({ text: 'Paris is the capital.' }),
  });
  const strong = new ScriptedChatModel({ model: 'large-1', answers: () => ({ text: 'unused' }) });
  const router = new RouterChatModel({
    tiers: [
      { id: 'cheap', model: cheap, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
      { id: 'strong', model: strong, price: { inputPerMillion: 10, outputPerMillion: 30 } },
    ],
    policy: fixed('cheap'),
  });
  const cache = new TokenomicsCache({ embedder: new HashingEmbedder(), verifier: false, threshold: 0.85 });
  return { cheap, strong, cached: withStreamingCache(router, cache) };
}

describe('RouterChatModel behind withStreamingCache', () => {
  it('answers a repeated question from the cache without calling any tier', async () => {
    const { cheap, strong, cached } = cachedRouter();
    const first = await cached.invoke('Capital of France?');
    const second = await cached.invoke('Capital of France?');
    expect(second.text).toBe('Paris is the capital.');
    expect(cheap.calls).toHaveLength(1);
    expect(strong.calls).toHaveLength(0);
    expect(getRouteMetadata(first)?.route.tier).toBe('cheap');
    expect(second.response_metadata.tokenomics).toMatchObject({ cached: true });
  });

  it('replays a streamed answer of the router on the next .stream() of the same question', async () => {
    const { cheap, cached } = cachedRouter();
    let firstText = '';
    for await (const chunk of await cached.stream('Capital of France?')) firstText += chunk.text;
    const replayed: string[] = [];
    for await (const chunk of await cached.stream('Capital of France?')) replayed.push(chunk.text);
    expect(firstText).toBe('Paris is the capital.');
    expect(replayed.join('')).toBe('Paris is the capital.');
    expect(cheap.calls).toHaveLength(1);
    expect(cheap.calls[0]?.streamed).toBe(true);
  });
});
