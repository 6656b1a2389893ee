import { describe, expect, it } from 'vitest';
import { extractNumbers, numberGuard } from './number-guard';

describe('numberGuard', () => {
  it('fails questions that differ only in a number or percentage', () => {
    expect(numberGuard('What is 10% of 50?', 'What is 6% of 50?')).toMatchObject({ pass: false });
    expect(numberGuard('Is Python 3.10 supported?', 'Is Python 3.11 supported?').pass).toBe(false);
    expect(numberGuard('Events on 2024-05-01', 'Events on 2024-05-02').pass).toBe(false);
  });

  it('passes the same numbers written differently', () => {
    expect(numberGuard('What is ten percent of fifty?', 'Calculate 10% of 50').pass).toBe(true);
    expect(numberGuard('Is 1,000 bigger than 999?', 'is 1000 greater than 999').pass).toBe(true);
    expect(numberGuard('costs 2 million', 'costs 2,000,000').pass).toBe(true);
  });

  it('compares numbers as multisets, so a repeated number counts', () => {
    expect(numberGuard('add 5 and 5', 'add 5 and 6').pass).toBe(false);
    expect(numberGuard('add 5 and 5', 'add 5').pass).toBe(false);
    expect(numberGuard('multiply 3 by 4', 'multiply 4 by 3').pass).toBe(true);
  });

  it('keeps versions, dates and times whole and ignores list markers', () => {
    expect(extractNumbers('Python 3.10.2 on 2024-05-01 at 10:30')).toEqual(['3.10.2', '2024-05-01', '10:30']);
    expect(extractNumbers('steps: 1) download 2) prepare')).toEqual([]);
    expect(extractNumbers('thousands of files')).toEqual([]);
  });
});
