import type { BaseMessage } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import { describe, expect, it } from 'vitest';
import { ARCHIVE_DOCUMENT, archiveSearch, searchingModel } from '../testing/archive-search';
import { compressionMiddleware } from './compression-middleware';

describe('compressionMiddleware with createAgent', () => {
  it('sends the model a compressed tool result that keeps the answer, and leaves the state intact', async () => {
    const model = searchingModel();
    const agent = createAgent({
      model,
      tools: [archiveSearch],
      systemPrompt: 'Answer from the archive.',
      middleware: [compressionMiddleware({ rate: 1 / 4, minTokens: 50, toolResults: true })],
    });
    const state = await agent.invoke({
      messages: [{ role: 'user', content: 'When did the harbor bridge open?' }],
    });
    const messages = state.messages as BaseMessage[];

    const sent = model.calls[1]?.messages.find((message) => message.type === 'tool');
    expect(sent?.text.length).toBeLessThan(ARCHIVE_DOCUMENT.length / 2);
    expect(sent?.text).toContain('1932');
    expect(messages.at(-1)?.text).toBe('It opened in 1932.');
    // The model saw a compressed copy; the conversation the agent keeps has the whole document.
    expect(messages.find((message) => message.type === 'tool')?.text).toBe(ARCHIVE_DOCUMENT);
    expect(model.calls[1]?.messages[0]?.text).toBe('Answer from the archive.');
  });

  it('passes the messages unchanged when compression fails, with a warning', async () => {
    const model = searchingModel();
    const warnings: string[] = [];
    const failing = () => {
      throw new Error('tokenizer down');
    };
    const agent = createAgent({
      model,
      tools: [archiveSearch],
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
    expect(model.calls[1]?.messages.find((message) => message.type === 'tool')?.text).toBe(ARCHIVE_DOCUMENT);
    expect(warnings.length).toBeGreaterThan(0);
  });
});
