import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { fixed, HashingEmbedder } from '@tokenomics/core';
import { getCacheMetadata, TokenomicsCache } from '@tokenomics/langchain-cache';
import { cacheMiddleware } from '@tokenomics/langchain-cache/middleware';
import { type ScriptedCall, ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { compressionMiddleware } from '@tokenomics/langchain-compression/middleware';
import { getRouteMetadata } from '@tokenomics/langchain-router';
import { routerMiddleware } from '@tokenomics/langchain-router/middleware';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The three agent middlewares in one `createAgent` agent, across packages: compression shortens
 * the retrieved document the model is sent, the router picks the tier, and the cache (listed after
 * the router, so it wraps the router's model) answers a repeated question with no tier call.
 */
const DOCUMENT = Array.from({ length: 60 }, (_, index) =>
  index === 41
    ? 'The harbor bridge opened in 1932 after eight years of construction.'
    : `Note ${index}: the facilities team restocked kitchen ${index} and watered the plants on floor ${index % 7}.`,
).join(' ');

const search = tool(async () => DOCUMENT, {
  name: 'search',
  description: 'Searches the archive',
  schema: z.object({ query: z.string() }),
});

function searchingTier(model: string) {
  return new ScriptedChatModel({
    model,
    answers: (_question: string, call: ScriptedCall) => {
      const result = call.messages.findLast((message) => message.type === 'tool');
      if (!result)
        return { toolCalls: [{ id: 'search-1', name: 'search', args: { query: 'harbor bridge' } }] };
      return { text: result.text.includes('1932') ? 'It opened in 1932.' : 'I do not know.' };
    },
  });
}

describe('compression, routing and caching middleware in one agent', () => {
  it('compresses, routes, and serves the repeated run from the cache', async () => {
    const cheap = searchingTier('small-1');
    const strong = searchingTier('large-1');
    const agentModel = new ScriptedChatModel({ model: 'unused', answers: [{ text: 'never called' }] });
    const cache = new TokenomicsCache({ embedder: new HashingEmbedder(), verifier: false });
    const agent = createAgent({
      model: agentModel,
      tools: [search],
      middleware: [
        compressionMiddleware({ rate: 1 / 4, minTokens: 50, toolResults: true }),
        routerMiddleware({
          tiers: [
            { id: 'cheap', model: cheap, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
            { id: 'strong', model: strong, price: { inputPerMillion: 10, outputPerMillion: 30 } },
          ],
          policy: fixed('cheap'),
        }),
        cacheMiddleware({ cache }),
      ],
    });
    const question = { messages: [{ role: 'user', content: 'When did the harbor bridge open?' }] };

    const first = (await agent.invoke(question)).messages as BaseMessage[];
    expect(first.at(-1)?.text).toBe('It opened in 1932.');
    expect(getRouteMetadata(first.at(-1) as AIMessage)?.route.tier).toBe('cheap');
    const sent = cheap.calls[1]?.messages.find((message) => message.type === 'tool');
    expect(sent?.text.length).toBeLessThan(DOCUMENT.length / 2);
    expect(first.find((message) => message.type === 'tool')?.text).toBe(DOCUMENT);

    const second = (await agent.invoke(question)).messages as BaseMessage[];
    expect(second.at(-1)?.text).toBe('It opened in 1932.');
    expect(getCacheMetadata(second.at(-1) as AIMessage)).toMatchObject({ cached: true, kind: 'exact' });
    expect(cheap.calls).toHaveLength(2);
    expect(strong.calls).toHaveLength(0);
    expect(agentModel.calls).toHaveLength(0);
  });
});
