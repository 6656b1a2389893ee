import { describe, expect, it } from 'vitest';
import { checkGuards } from './check-guards';

const text = (query: string, context = '') => ({ query, context });

describe('checkGuards', () => {
  it('passes a paraphrase and names the first guard that fails a look-alike', () => {
    expect(checkGuards(text('What is 10% of 50?'), text('what is ten percent of 50'))).toEqual({
      pass: true,
    });
    expect(checkGuards(text('What is 10% of 50?'), text('What is 6% of 50?'))).toMatchObject({
      pass: false,
      failed: 'numbers',
    });
    expect(checkGuards(text('Convert USD to EUR'), text('Convert EUR to USD'))).toMatchObject({
      failed: 'order',
    });
  });

  it('applies the guards to the conversation context too', () => {
    const followUp = 'What are its main landmarks?';
    const result = checkGuards(text(followUp, 'Tell me about Paris'), text(followUp, 'Tell me about Rome'));
    expect(result).toMatchObject({ pass: false, failed: 'entities' });
    expect(result.pass === false && result.reason.startsWith('context:')).toBe(true);
    expect(
      checkGuards(text(followUp, 'Tell me about Paris'), text(followUp, 'tell me about paris')).pass,
    ).toBe(true);
  });

  it('can skip a guard', () => {
    expect(checkGuards(text('Weather in Paris'), text('Weather in Lyon'), { skip: ['entities'] }).pass).toBe(
      true,
    );
  });
});
