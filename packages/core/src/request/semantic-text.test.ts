import { describe, expect, it } from 'vitest';
import type { TokenomicsRequest } from './request';
import { semanticText } from './semantic-text';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const assistant = (text: string) => ({
  role: 'assistant' as const,
  content: [{ type: 'text' as const, text }],
});

describe('semanticText', () => {
  it('uses the last user turn as the query and earlier user turns as context', () => {
    const request: TokenomicsRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        user('Tell me about Python.'),
        assistant('Python is a language.'),
        user('What are its types?'),
      ],
    };
    expect(semanticText(request)).toEqual({
      ok: true,
      text: { query: 'What are its types?', context: 'Tell me about Python.' },
    });
  });

  it('gives a first turn an empty context', () => {
    expect(semanticText({ model: 'm', messages: [user('Hi there')] })).toEqual({
      ok: true,
      text: { query: 'Hi there', context: '' },
    });
  });

  it('refuses requests with images, tool turns, or a non-user last turn', () => {
    const image: TokenomicsRequest = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'media', mediaType: 'image/png', data: 'aGk=' },
          ],
        },
      ],
    };
    expect(semanticText(image)).toEqual({ ok: false, reason: 'has-media' });
    expect(semanticText({ model: 'm', messages: [user('Hi'), assistant('Hello')] })).toEqual({
      ok: false,
      reason: 'last-turn-not-user',
    });
    const toolTurn: TokenomicsRequest = {
      model: 'm',
      messages: [
        user('Weather?'),
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: '1', toolName: 'weather', input: {} }],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: '1', toolName: 'weather', output: 'sunny' }],
        },
        user('And tomorrow?'),
      ],
    };
    expect(semanticText(toolTurn)).toEqual({ ok: false, reason: 'has-tool-turns' });
  });

  it('skips a huge query with a reason instead of embedding it', () => {
    expect(semanticText({ model: 'm', messages: [user('word '.repeat(200_000))] })).toEqual({
      ok: false,
      reason: 'too-long',
    });
  });
});
