import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { cascade, fixed, structuredOutputScorer } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getRouteMetadata } from '../route-metadata';
import { multiply, toolReply } from '../testing/agent-fixtures';
import { routerMiddleware } from './router-middleware';

const PRICES = {
  cheap: { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  strong: { inputPerMillion: 10, outputPerMillion: 30 },
};

describe('routerMiddleware with createAgent', () => {
  it("routes every model call of a tool-calling agent; a cheap tier's broken tool call escalates", async () => {
    const cheap = new ScriptedChatModel({ model: 'small-1', answers: toolReply('cheap', true) });
    const strong = new ScriptedChatModel({ model: 'large-1', answers: toolReply('strong', false) });
    const agentModel = new ScriptedChatModel({ model: 'agent-default', answers: [{ text: 'never called' }] });
    const agent = createAgent({
      model: agentModel,
      tools: [multiply],
      middleware: [
        routerMiddleware({
          tiers: [
            { id: 'cheap', model: cheap, price: PRICES.cheap },
            { id: 'strong', model: strong, price: PRICES.strong },
          ],
          policy: cascade({ scorers: [structuredOutputScorer()] }),
        }),
      ],
    });

    const messages = (await agent.invoke({ messages: [{ role: 'user', content: 'What is 6 times 7?' }] }))
      .messages as BaseMessage[];

    expect(messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    expect(messages[2]?.text).toBe('42');
    expect(getRouteMetadata(messages[1] as AIMessage)?.route.tier).toBe('strong');
    expect(getRouteMetadata(messages[3] as AIMessage)?.route.tier).toBe('cheap');
    expect(messages[3]?.text).toBe('cheap: 6 × 7 = 42');
    expect(agentModel.calls).toHaveLength(0);
    // The tier saw the agent's tool, bound through its own bindTools.
    expect(cheap.calls[0]?.options.tools).toHaveLength(1);
  });

  it('keeps structured output and streams the routed answer once', async () => {
    const cheap = new ScriptedChatModel({
      model: 'small-1',
      answers: () => ({ toolCalls: [{ id: 'out-1', name: 'Location', args: { city: 'Paris' } }] }),
    });
    const strong = new ScriptedChatModel({ model: 'large-1', answers: () => ({ text: 'unused' }) });
    const tiers = [
      { id: 'cheap', model: cheap, price: PRICES.cheap },
      { id: 'strong', model: strong, price: PRICES.strong },
    ];
    const structured = createAgent({
      model: cheap,
      tools: [],
      responseFormat: z.object({ city: z.string() }).meta({ title: 'Location' }),
      middleware: [routerMiddleware({ tiers, policy: fixed('cheap') })],
    });
    const state = await structured.invoke({ messages: [{ role: 'user', content: 'Where is the Louvre?' }] });
    expect(state.structuredResponse).toEqual({ city: 'Paris' });

    const words = new ScriptedChatModel({ model: 'small-1', answers: () => ({ text: 'alpha beta gamma' }) });
    const streaming = createAgent({
      model: words,
      tools: [],
      middleware: [
        routerMiddleware({
          tiers: [
            { id: 'cheap', model: words, price: PRICES.cheap },
            { id: 'strong', model: strong, price: PRICES.strong },
          ],
          policy: fixed('cheap'),
        }),
      ],
    });
    let streamed = '';
    for await (const [message] of await streaming.stream(
      { messages: [{ role: 'user', content: 'say three words' }] },
      { streamMode: 'messages' },
    )) {
      streamed += (message as BaseMessage).text;
    }
    expect(streamed).toBe('alpha beta gamma');
  });
});
