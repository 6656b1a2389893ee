import { describe, expect, it } from 'vitest';
import { answerTypeOf, holdsAnswerType } from './answer-type';

describe('answer types', () => {
  it('reads the kind of answer a question asks for', () => {
    expect(answerTypeOf('Question: when did the bridge open?')).toBe('time');
    expect(answerTypeOf('how many players are on a team')).toBe('number');
    expect(answerTypeOf('who won the 2018 final')).toBe('person');
    expect(answerTypeOf('where was the treaty signed')).toBe('place');
    expect(answerTypeOf('why is the sky blue')).toBeUndefined();
  });

  it('finds a name the question does not already use, a year, a number', () => {
    const words = new Set(['who', 'won', 'the', 'elimination', 'chamber']);
    expect(holdsAnswerType('person', 'In the main event, Roman Reigns won the match.', words)).toBe(1);
    expect(holdsAnswerType('person', 'The Elimination Chamber was held in a cage.', words)).toBe(0);
    expect(holdsAnswerType('time', 'It opened in June 1932.', words)).toBe(1);
    expect(holdsAnswerType('number', 'The oceans cover roughly 78% of the area.', words)).toBe(1);
    expect(holdsAnswerType('number', 'The oceans reflect blue light.', words)).toBe(0);
  });
});
