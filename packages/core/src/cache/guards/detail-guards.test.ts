import { describe, expect, it } from 'vitest';
import { checkGuards } from './check-guards';

const verdict = (stored: string, query: string) =>
  checkGuards({ query: stored, context: '' }, { query, context: '' });

describe('the detail guards on look-alikes that embed almost identically', () => {
  it.each([
    ['What is the second largest city in France?', 'What is the largest city in France?', 'ordinals'],
    ['Who is the second richest person alive?', 'Who is the richest person alive?', 'ordinals'],
    ['How do I learn C?', 'How do I learn C#?', 'symbols'],
    ['Is C++ faster than C?', 'Is C faster than C?', 'symbols'],
    ['How do I install Node.js on Windows?', 'How do I install Node on Windows?', 'symbols'],
    ['What changed in GPT-4o?', 'What changed in GPT-4?', 'symbols'],
    ['What does さあひる mean?', 'What does 啪啪啪啪 mean?', 'symbols'],
    ['Что такое кэш?', 'Что такое код?', 'symbols'],
    ['Which planets are visible tonight?', 'Which planets are visible tomorrow night?', 'time'],
    ['What was our revenue this year?', 'What was our revenue last year?', 'time'],
    ['Which birds barely fly?', 'Which birds fly?', 'negation'],
    ['Which fruits seldom ripen off the vine?', 'Which fruits ripen off the vine?', 'negation'],
    ['How many grams in an ounce?', 'How many ounces in a gram?', 'order'],
    ['How strong is the yen against the dollar?', 'How strong is the dollar against the yen?', 'order'],
    ['How many miles per gallon is good?', 'How many gallons per mile is good?', 'order'],
  ])('"%s" / "%s" fails on %s', (stored, query, guard) => {
    expect(verdict(stored, query)).toMatchObject({ pass: false, failed: guard });
  });

  it.each([
    ['hey, quick question: how do I reset my password?', 'How do I reset my password?'],
    ['How do I learn Python3?', 'How do I learn python 3?'],
    ['Who won the second world war?', 'who won the Second World War'],
    ['What is the weather today?', 'what is the weather today'],
    ['What does 日本語 mean?', 'what does 日本語 mean'],
    ['Is the café open?', 'Is the cafe open'],
    ['How many requests per second can Redis handle?', 'How many requests can Redis handle per second?'],
    ['How long is 90 seconds in minutes?', 'How many minutes is 90 seconds?'],
  ])('"%s" / "%s" passes (filler, spacing, case, time units)', (stored, query) => {
    expect(verdict(stored, query)).toEqual({ pass: true });
  });
});
