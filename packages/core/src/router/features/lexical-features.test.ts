import { describe, expect, it } from 'vitest';
import { userRequest } from '../test-support/router-fixtures';
import { extractRouteFeatures, LEXICAL_FEATURE_NAMES, namedLexicalFeatures } from './lexical-features';

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
