import {
  AIMessage,
  getBufferString,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { messagesFromPromptString } from './prompt-string';

describe('messagesFromPromptString', () => {
  it('splits LangChain’s prompt string back into roles, keeping multi-line text', () => {
    const prompt = getBufferString([
      new SystemMessage('Be brief.'),
      new HumanMessage('line one\nline two'),
      new AIMessage('ok'),
      new HumanMessage('next'),
    ]);
    expect(messagesFromPromptString(prompt)).toEqual({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'line one\nline two' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        { role: 'user', content: [{ type: 'text', text: 'next' }] },
      ],
    });
  });

  it('turns tool lines into tool results, which keep the request out of semantic lookup', () => {
    const prompt = getBufferString([
      new HumanMessage('weather?'),
      new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'weather', args: { city: 'Oslo' } }] }),
      new ToolMessage({ content: 'sunny', tool_call_id: 'c1', name: 'weather' }),
    ]);
    const { messages } = messagesFromPromptString(prompt);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(messages[2]?.content[0]?.type).toBe('tool-result');
  });

  it('reports a conversation with an image as lossy: the image itself is not in the string', () => {
    const prompt = getBufferString([
      new HumanMessage({
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      }),
    ]);
    expect(messagesFromPromptString(prompt).lossy).toMatch(/image/);
  });
});
