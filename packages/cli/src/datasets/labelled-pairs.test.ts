import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { formatLabelledPairs, parseLabelledPairs } from './labelled-pairs';
import { parseConversations } from './meancache-conversations';

describe('labelled pairs JSONL', () => {
  it('round-trips through format and parse, skipping blank lines', () => {
    const pairs = [
      { a: 'x', b: 'y', label: 1 as const },
      { a: 'p', b: 'q', label: 0 as const },
    ];
    expect(parseLabelledPairs(`${formatLabelledPairs(pairs)}\n\n`)).toEqual(pairs);
  });

  it('names the line of a malformed pair', () => {
    expect(() => parseLabelledPairs('{"a":"x","b":"y","label":1}\n{"a":"x","label":1}', 'f.jsonl')).toThrow(
      /f\.jsonl:2/,
    );
    expect(() => parseLabelledPairs('{"a":"x","b":"y","label":2}')).toThrow(DatasetError);
    expect(() => parseLabelledPairs('not json')).toThrow(/not valid JSON/);
  });
});

describe('MeanCache conversations', () => {
  it('reads both file formats', () => {
    const [first, second] = parseConversations([
      {
        'Main Query': 'What is inflation?',
        'Main Query Response': 'Rising prices.',
        'Follow-Up Query': 'What are its types?',
        'Follow Up Query Response': 'Demand-pull and cost-push.',
      },
      {
        u0: 'What is photosynthesis?',
        u0_duplicate: 'Explain photosynthesis.',
        system_q0: 'Plants make sugar.',
        u1: 'What gas is released?',
        u1_duplicate: 'Which gas is given off?',
        system_q1: 'Oxygen.',
      },
    ]);
    expect(first).toEqual({
      main: 'What is inflation?',
      mainAnswer: 'Rising prices.',
      followUp: 'What are its types?',
      followUpAnswer: 'Demand-pull and cost-push.',
    });
    expect(second).toMatchObject({
      main: 'What is photosynthesis?',
      mainParaphrase: 'Explain photosynthesis.',
      followUpParaphrase: 'Which gas is given off?',
      followUpAnswer: 'Oxygen.',
    });
  });

  it('rejects records of neither format', () => {
    expect(() => parseConversations([{ question: 'x' }], 'c.json')).toThrow(/c\.json\[0\]/);
  });
});
