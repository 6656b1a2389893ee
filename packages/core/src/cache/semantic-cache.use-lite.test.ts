import { describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from '../embedder/use-lite-embedder';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { SemanticCache } from './semantic-cache';

/**
 * Every default together: the real offline embedder (loads in about a second), the guards and
 * the shipped verifier, at the default thresholds.
 */
describe('SemanticCache with USE-lite and the shipped verifier', () => {
  const warnings: string[] = [];
  const cache = new SemanticCache({
    embedder: new UseLiteEmbedder(),
    onWarning: (warning) => warnings.push(warning.code),
  });

  it('serves a lightly reworded question and refuses look-alikes and foreign follow-ups', async () => {
    await cache.warmUp();
    await cache.store(chatRequest('What is the capital city of France?'), textAnswer('Paris.'));
    await cache.store(chatRequest('How can I reverse a list in Python?'), textAnswer('Use reversed().'));
    await cache.store(chatRequest('What is 10% of 250?'), textAnswer('25'));
    await cache.store(
      chatRequest([
        'Tell me about the Python programming language.',
        'Python is a language.',
        'What are its main types?',
      ]),
      textAnswer('int, str, list, dict ...'),
    );

    const reworded = await cache.lookup(chatRequest('How do I reverse a list in Python?'));
    expect(reworded).toMatchObject({
      status: 'hit',
      kind: 'semantic',
      response: { content: [{ text: 'Use reversed().' }] },
    });
    // The defaults favour precision: a freer rewording is left to the model (see docs/cache.md, Defaults).
    expect((await cache.lookup(chatRequest('Which city is the capital of France?'))).status).toBe('miss');

    expect((await cache.lookup(chatRequest('What is 6% of 250?'))).status).toBe('miss');
    expect((await cache.lookup(chatRequest('What is the capital city of Germany?'))).status).toBe('miss');

    const snake = chatRequest([
      'Tell me about the ball python snake.',
      'Ball pythons are snakes.',
      'What are its main types?',
    ]);
    expect((await cache.lookup(snake)).status).toBe('miss');
    // The same conversation so far, the follow-up asked again in other case and punctuation:
    const sameTopic = chatRequest([
      'Tell me about the Python programming language.',
      'Python is a language.',
      'what are its main types',
    ]);
    expect(await cache.lookup(sameTopic)).toMatchObject({ status: 'hit', kind: 'semantic' });
    expect(warnings).toEqual([]);
  });
});
