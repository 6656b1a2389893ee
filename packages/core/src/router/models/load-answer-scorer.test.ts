import { describe, expect, it } from 'vitest';
import { loadAnswerQualityModel } from './load-answer-scorer';

const usage = { inputTokens: 10, outputTokens: 20 };
const prompt =
  'A shop sells 8 glasses at $5 each, and every second glass at 60% of the price. How much do 16 glasses cost?';
const right =
  'Full price: 8 x $5 = $<<8*5=40>>40. Discounted: 8 x $5 x 60% = $<<8*5*60/100=24>>24. Total: $40 + $24 = $<<40+24=64>>64.\n#### 64';

describe('shipped answer scorer on worked arithmetic', () => {
  const score = async (answerText: string) => {
    const model = await loadAnswerQualityModel({ runtime: 'typescript' });
    return model.predict({ prompt, answerText, finishReason: 'stop', usage });
  };

  it('rates an answer whose calculation does not hold below the same answer with right arithmetic', async () => {
    const wrongSum = right.replace('<<40+24=64>>64', '<<40+24=74>>74').replace('#### 64', '#### 74');
    expect(await score(wrongSum)).toBeLessThan(await score(right));
  });

  it('rates a final answer that no shown calculation produced below one that follows from the work', async () => {
    expect(await score(right.replace('#### 64', '#### 70'))).toBeLessThan(await score(right));
  });
});
