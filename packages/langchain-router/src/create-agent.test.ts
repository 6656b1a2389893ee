import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import { cascade, structuredOutputScorer } from '@tokenomics/core';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { getRouteMetadata } from './route-metadata';
import { RouterChatModel } from './router-chat-model';
import { multiply, toolReply } from './testing/agent-fixtures';

describe('RouterChatModel as a createAgent model', () => {
  it('drives an agent: tool call, tool result, final answer; a bad tool call escalates', async () => {
    const cheap = new ScriptedChatModel({ model: 'small-1', answers: toolReply('cheap', true) });
    const strong = new ScriptedChatModel({ model: 'large-1', answers: toolReply('strong', false) });
    const router = new RouterChatModel({
      tiers: [
        { id: 'cheap', model: cheap, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
        { id: 'strong', model: strong, price: { inputPerMillion: 10, outputPerMillion: 30 } },
      ],
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const agent = createAgent({ model: router, tools: [multiply] });

    const state = await agent.invoke({ messages: [{ role: 'user', content: 'What is 6 times 7?' }] });
    const messages = state.messages as BaseMessage[];

    expect(messages.map((message) => message.type)).toEqual(['human', 'ai', 'tool', 'ai']);
    const toolCall = (messages[1] as AIMessageChunk).tool_calls?.[0];
    expect(toolCall).toMatchObject({ name: 'multiply', args: { a: 6, b: 7 } });
    expect(messages[2]?.text).toBe('42');
    // The cheap tier's broken call was escalated; its tool-free final answer was accepted.
    expect(getRouteMetadata(messages[1] as AIMessageChunk)?.route.tier).toBe('strong');
    expect(messages[3]?.text).toBe('cheap: 6 × 7 = 42');
    expect(getRouteMetadata(messages[3] as AIMessageChunk)?.route.tier).toBe('cheap');
  });

  it('streams agent messages once, from the router, not again from each tier', async () => {
    const answer = new ScriptedChatModel({ model: 'small-1', answers: () => ({ text: 'alpha beta gamma' }) });
    const other = new ScriptedChatModel({ model: 'large-1', answers: () => ({ text: 'unused' }) });
    const router = new RouterChatModel({
      tiers: [
        { id: 'cheap', model: answer, price: { inputPerMillion: 0.1, outputPerMillion: 0.4 } },
        { id: 'strong', model: other, price: { inputPerMillion: 10, outputPerMillion: 30 } },
      ],
      policy: cascade({ scorers: [structuredOutputScorer()] }),
    });
    const agent = createAgent({ model: router, tools: [] });
    let streamed = '';
    for await (const [message] of await agent.stream(
      { messages: [{ role: 'user', content: 'say three words' }] },
      { streamMode: 'messages' },
    )) {
      streamed += (message as BaseMessage).text;
    }
    expect(streamed).toBe('alpha beta gamma');
  });
});
