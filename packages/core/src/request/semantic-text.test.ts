import { describe, expect, it } from 'vitest';
import type { TokenomicsRequest } from './request';
import { semanticText } from './semantic-text';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const assistant = (text: string) => ({
  role: 'assistant' as const,
  content: [{ type: 'text' as const, text }],
});

describe('semanticText', () => {
  it('uses the last user turn as the query and a digest of the earlier user turns as context', () => {
    const request: TokenomicsRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        user('Tell me about Python.'),
        assistant('Python is a language.'),
        user('What are its types?'),
      ],
    };
    const text = semanticText(request);
    expect(text).toMatchObject({ ok: true, text: { query: 'What are its types?' } });
    const other = semanticText({
      ...request,
      messages: [...request.messages.slice(0, 1), user('Tell me about Rust.'), ...request.messages.slice(2)],
    });
    // The context is compared whole: another earlier turn is another context, whatever its length.
    expect(text.ok && other.ok && text.text.context !== other.text.context).toBe(true);
    expect(text.ok && text.text.context.startsWith('sha256:')).toBe(true);
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

  it('compares only the question under a long document; the document must be identical, all of it', () => {
    const record = (name: string) => `Customer record: ${name}. ${'Orders and notes. '.repeat(300)}`;
    const ask = (name: string, question: string) =>
      semanticText({ model: 'm', messages: [user(`${record(name)}\n\n${question}`)] });
    const first = ask('Alice Smith', 'What is the balance?');
    const reworded = ask('Alice Smith', 'How much is the balance?');
    const otherCustomer = ask('Bob Jones', 'What is the balance?');
    expect(first).toMatchObject({ ok: true, text: { query: 'What is the balance?' } });
    expect(reworded).toMatchObject({ ok: true, text: { query: 'How much is the balance?' } });
    expect(first.ok && reworded.ok && first.text.context === reworded.text.context).toBe(true);
    // Only the first characters differ, 5,000 characters before the question: still another context.
    expect(first.ok && otherCustomer.ok && first.text.context !== otherCustomer.text.context).toBe(true);
  });

  it('takes the question after an explicit marker, wherever the documents are', () => {
    const text = semanticText({
      model: 'm',
      messages: [
        user(
          'Document 1: the tower is 330 m tall.\n\nDocument 2: it opened in 1889.\n\nQuestion: When did it open?',
        ),
      ],
    });
    expect(text).toMatchObject({ ok: true, text: { query: 'When did it open?' } });
  });

  it('does not guess a question part it cannot tell from the documents', () => {
    const documentsLast = `Answer from the documents: who built it?\n\n${'The tower was built by a company. '.repeat(10)}`;
    expect(semanticText({ model: 'm', messages: [user(documentsLast)] })).toEqual({
      ok: false,
      reason: 'no-question-part',
    });
  });

  it('leaves a question with code in it to the exact key, where every symbol counts', () => {
    for (const question of [
      'Why does `x += 1` fail here?',
      'Fix this:\n    total -= price;',
      'What does\n```js\nlet a = 1\n```\ndo?',
    ])
      expect(semanticText({ model: 'm', messages: [user(question)] })).toEqual({
        ok: false,
        reason: 'has-code',
      });
    expect(
      semanticText({ model: 'm', messages: [user('What is the function of the heart: pumping?')] }),
    ).toMatchObject({ ok: true });
  });
});
