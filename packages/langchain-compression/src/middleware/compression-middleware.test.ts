import type { BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compressionMiddleware } from './compression-middleware';

/** A long retrieved document with one fact that matters. */
const DOCUMENT = Array.from({ length: 60 }, (_, index) =>
  index === 37
    ? 'The harbor bridge opened in 1932 after eight years of construction.'
    : `Note ${index}: the facilities team restocked kitchen ${index} and watered the plants on floor ${index % 7}.`,
).join(' ');

const search = tool(async () => DOCUMENT, {
  name: 'search',
  description: 'Searches the archive',
  schema: z.object({ query: z.string() }),
});

function modelThatSearches() {
  return new ScriptedChatModel({
    model: 'gpt-4o-mini',
    answers: (_question, call) => {
      const result = call.messages.findLast((message) => message.type === 'tool');
      if (!result)
        return { toolCalls: [{ id: 'search-1', name: 'search', args: { query: 'harbor bridge' } }] };
      return { text: result.text.includes('1932') ? 'It opened in 1932.' : 'I do not know.' };
    },
  });
}

describe('compressionMiddleware with createAgent', () => {
  it('sends the model a compressed tool result that keeps the answer, and leaves the state intact', async () => {
    const model = modelThatSearches();
    const agent = createAgent({
      model,
      tools: [search],
      systemPrompt: 'Answer from the archive.',
      middleware: [compressionMiddleware({ rate: 1 / 4, minTokens: 50, toolResults: true })],
    });
    const state = await agent.invoke({
      messages: [{ role: 'user', content: 'When did the harbor bridge open?' }],
    });
    const messages = state.messages as BaseMessage[];

    const sent = model.calls[1]?.messages.find((message) => message.type === 'tool');
    expect(sent?.text.length).toBeLessThan(DOCUMENT.length / 2);
    expect(sent?.text).toContain('1932');
    expect(messages.at(-1)?.text).toBe('It opened in 1932.');
    // The model saw a compressed copy; the conversation the agent keeps has the whole document.
    expect(messages.find((message) => message.type === 'tool')?.text).toBe(DOCUMENT);
    expect(model.calls[1]?.messages[0]?.text).toBe('Answer from the archive.');
  });

  it('passes the messages unchanged when compression fails, with a warning', async () => {
    const model = modelThatSearches();
    const warnings: string[] = [];
    const failing = () => {
      throw new Error('tokenizer down');
    };
    const agent = createAgent({
      model,
      tools: [search],
      middleware: [
        compressionMiddleware({
          rate: 1 / 4,
          minTokens: 50,
          toolResults: true,
          countTokens: failing,
          onWarning: (warning) => warnings.push(warning.code),
        }),
      ],
    });
    const state = await agent.invoke({
      messages: [{ role: 'user', content: 'When did the harbor bridge open?' }],
    });
    expect((state.messages as BaseMessage[]).at(-1)?.text).toBe('It opened in 1932.');
    expect(model.calls[1]?.messages.find((message) => message.type === 'tool')?.text).toBe(DOCUMENT);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
