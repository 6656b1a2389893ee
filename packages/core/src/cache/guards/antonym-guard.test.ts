import { describe, expect, it } from 'vitest';
import { antonymGuard } from './antonym-guard';

describe('antonymGuard', () => {
  it('fails questions that swap a word for its opposite', () => {
    expect(antonymGuard('What are the advantages of React?', 'What are the disadvantages of React?')).toEqual(
      {
        pass: false,
        reason: 'opposite words: advantage/disadvantage',
      },
    );
    expect(antonymGuard('How to increase latency', 'How to decrease latency').pass).toBe(false);
    expect(antonymGuard('the fastest sorting algorithm', 'the slowest sorting algorithm').pass).toBe(false);
  });

  it('passes when both or neither opposite appear', () => {
    expect(antonymGuard('pros and cons of Rust', 'cons and pros of Rust').pass).toBe(true);
    expect(antonymGuard('What are the benefits of tea?', 'Why is tea good for you?').pass).toBe(true);
  });
});
