import { describe, expect, it } from 'vitest';
import { semanticText } from '../../request/semantic-text';
import { userRequest } from '../test-support/router-fixtures';
import {
  extractRouteFeatures,
  LEXICAL_FEATURE_NAMES,
  namedLexicalFeatures,
  routeEmbeddingText,
} from './lexical-features';

function named(text: string, extra = {}) {
  return namedLexicalFeatures(extractRouteFeatures(userRequest(text, extra)).lexical);
}

describe('extractRouteFeatures', () => {
  it('tells code, math and questions apart', () => {
    const code = named('```ts\nfunction add(a, b) { return a + b; }\n```');
    const math = named('Solve ∫ x^2 dx = ? and 3x + 7 = 22');
    const question = named('Why is the sky blue and how does scattering work?');
    expect(code.code).toBe(1);
    expect(question.code).toBe(0);
    expect(math['math-share']).toBeGreaterThan(question['math-share'] as number);
    expect(math['digit-share']).toBeGreaterThan(0);
    expect(question['question-words']).toBeGreaterThan(0);
    expect(math['reasoning-words']).toBeGreaterThan(0);
  });

  it('grows with length, marks tools and JSON output, and keeps the embedding', () => {
    const short = extractRouteFeatures(userRequest('hi'));
    const long = extractRouteFeatures(userRequest('word '.repeat(500)));
    expect(long.tokenCount).toBeGreaterThan(short.tokenCount);
    expect(long.lexical[0]).toBeGreaterThan(short.lexical[0] as number);
    const structured = named('list them', {
      tools: [{ name: 'search' }],
      settings: { responseFormat: { type: 'json' } },
    });
    expect([structured['has-tools'], structured['json-output']]).toEqual([1, 1]);
    const embedding = new Float32Array([1, 0]);
    expect(extractRouteFeatures(userRequest('x'), { embedding }).embedding).toBe(embedding);
    expect(short.lexical.length).toBe(LEXICAL_FEATURE_NAMES.length);
  });

  it('reads user turns only, and uses a given token counter', () => {
    const features = extractRouteFeatures(
      {
        model: 'm',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a long system prompt.' }] },
          { role: 'user', content: [{ type: 'text', text: 'first' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'reply' }] },
          { role: 'user', content: [{ type: 'text', text: 'second' }] },
        ],
      },
      { countTokens: (text) => text.split(/\s+/).length },
    );
    expect(features.text).toBe('first\nsecond');
    expect(features.tokenCount).toBe(2);
  });
});

describe('routeEmbeddingText', () => {
  const turn = (role: 'user' | 'assistant' | 'system', text: string) => ({
    role,
    content: [{ type: 'text' as const, text }],
  });

  it('is the turn being answered, as sent, while the lexical features still read every user turn', () => {
    const request = {
      model: 'test:strong-model',
      messages: [
        turn('system', 'You are a travel guide.'),
        turn('user', 'Tell me about the Eiffel Tower.'),
        turn('assistant', 'It is a wrought-iron tower in Paris.'),
        turn('user', 'How tall is it?'),
      ],
    };
    expect(routeEmbeddingText(request)).toBe('How tall is it?');
    const cached = semanticText(request);
    expect(cached.ok && cached.text.query).toBe(routeEmbeddingText(request));
    // As sent, like the prompts the prior was trained on (the cache trims its question).
    expect(routeEmbeddingText(userRequest(' What is 2+2?'))).toBe(' What is 2+2?');
    expect(extractRouteFeatures(request).text).toContain('Tell me about the Eiffel Tower.');
  });

  it('keeps the whole turn when the cache embeds only its question part: the prior was trained on whole prompts', () => {
    const prompt = `${'A long retrieved passage about bridges and their history. '.repeat(30)}\n\nWhen did it open?`;
    const request = userRequest(prompt);
    expect(routeEmbeddingText(request)).toBe(prompt);
    const cached = semanticText(request);
    expect(cached.ok && cached.text.query).toBe('When did it open?');
    expect(routeEmbeddingText({ model: 'm', messages: [turn('system', 'Be brief.')] })).toBe('');
  });
});
