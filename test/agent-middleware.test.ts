import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { fixed, HashingEmbedder } from '@tokenomics/core';
import { getCacheMetadata, TokenomicsCache } from '@tokenomics/langchain-cache';
import { cacheMiddleware } from '@tokenomics/langchain-cache/middleware';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { compressionMiddleware } from '@tokenomics/langchain-compression/middleware';
import { getRouteMetadata } from '@tokenomics/langchain-router';
import { routerMiddleware } from '@tokenomics/langchain-router/middleware';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_DOCUMENT,
  archiveSearch,
  searchingModel,
} from '../packages/langchain-compression/src/testing/archive-search';

/**
 * The three agent middlewares in one `createAgent` agent, across packages: compression shortens
 * the retrieved document the model is sent, the router picks the tier, and the cache (listed after
 * the router, so it wraps the router's model) answers a repeated question with no tier call.
 */
describe('compression, routing and caching middleware in one agent', () => {
  it('compresses, routes, and serves the repeated run from the cache', async () => {
    const cheap = searchingModel('small-1');
    const strong = searchingModel('large-1');
    const agentModel = new ScriptedChatModel({ model: 'unused', answers: [{ text: 'never called' }] });
    const cache = new TokenomicsCache({ embedder: new HashingEmbedder(), verifier: false });
    const agent = createAgent({
      model: agentModel,
      tools: [archiveSearch],
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
    expect(sent?.text.length).toBeLessThan(ARCHIVE_DOCUMENT.length / 2);
    expect(first.find((message) => message.type === 'tool')?.text).toBe(ARCHIVE_DOCUMENT);

    const second = (await agent.invoke(question)).messages as BaseMessage[];
    expect(second.at(-1)?.text).toBe('It opened in 1932.');
    expect(getCacheMetadata(second.at(-1) as AIMessage)).toMatchObject({ cached: true, kind: 'exact' });
    expect(cheap.calls).toHaveLength(2);
    expect(strong.calls).toHaveLength(0);
    expect(agentModel.calls).toHaveLength(0);
  });
});
