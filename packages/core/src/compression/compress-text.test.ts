import { describe, expect, it } from 'vitest';
import { compressText } from './compress-text';
import { InvalidCompressionOptionsError } from './invalid-compression-options-error';
import { loadTokenCounter } from './token-count';

const DISTRACTORS = [
  'The Amazon river flows through Brazil and carries more water than any other river on the planet.',
  'Mount Kilimanjaro is a dormant volcano in Tanzania with three volcanic cones named Kibo, Mawenzi and Shira.',
  'The Great Barrier Reef lies off the coast of Queensland and is visible from outer space on clear days.',
  'Basketball was invented by James Naismith in December 1891 in Springfield, Massachusetts, as a winter game.',
  'The Sahara is the largest hot desert in the world, covering much of North Africa across eleven countries.',
  'Photosynthesis converts light energy into chemical energy stored in glucose inside plant chloroplasts.',
  'The printing press of Johannes Gutenberg made books far cheaper across Europe during the fifteenth century.',
  'Jupiter has the shortest day of all the planets, turning once on its axis in just under ten hours.',
  'The violin family includes the viola, the cello and the double bass, all played with a bow.',
  'Coffee plants grow best at high altitudes in tropical climates with steady rainfall and rich soil.',
];
const ANSWER = 'The first Nobel Prize in Physics was awarded in 1901 to Wilhelm Conrad Röntgen of Germany.';

function documents(goldPosition: number, copies = 3): string {
  const lines: string[] = [];
  let index = 0;
  for (let copy = 0; copy < copies; copy += 1) {
    for (const sentence of DISTRACTORS) {
      if (index === goldPosition)
        lines.push(`Document [${index + 1}] ${ANSWER} It came with a medal and a diploma.`);
      lines.push(`Document [${index + 2}] ${sentence} Many visitors come to see it every year, guides say.`);
      index += 2;
    }
  }
  return lines.join('\n');
}

describe('compressText', () => {
  it('keeps the answer sentence among distractors at 3x and 5x, wherever it sits', async () => {
    for (const position of [0, 20, 58]) {
      for (const rate of [1 / 3, 1 / 5]) {
        const result = await compressText(documents(position), {
          rate,
          question: 'who got the first nobel prize in physics',
          minTokens: 0,
        });
        expect(result.text).toContain('Wilhelm Conrad Röntgen');
        expect(result.tokensAfter).toBeLessThanOrEqual(Math.floor(result.tokensBefore * rate));
        expect(result.ratio).toBeGreaterThan(1 / rate - 0.5);
      }
    }
  });

  it('meets a token budget exactly counted with cl100k', async () => {
    const count = await loadTokenCounter();
    const result = await compressText(documents(10), {
      targetTokens: 120,
      question: 'river Brazil',
      minTokens: 0,
    });
    expect(count(result.text)).toBe(result.tokensAfter);
    expect(result.tokensAfter).toBeLessThanOrEqual(120);
    expect(result.text).toContain('Amazon river');
  });

  it('keeps code blocks, tables and identifiers the question names byte for byte', async () => {
    const code = '```python\ndef  area(r):\n    return 3.14159 * r  **  2\n```';
    const table = '| key | value |\n|-----|-------|\n| a   | 1     |';
    const id = '3f2a9c1e-8d4b-4e6f-9a7b-1c2d3e4f5a6b';
    const text = [
      documents(4),
      code,
      `The record ${id} belongs to the archive team.`,
      table,
      documents(8),
    ].join('\n\n');
    const result = await compressText(text, { rate: 0.2, question: `who owns ${id}?`, minTokens: 0 });
    expect(result.text).toContain(code);
    expect(result.text).toContain(table);
    expect(result.text).toContain(`The record ${id} belongs to the archive team.`);
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore / 2);
  });

  it('keeps JSON valid and every value in it while minifying', async () => {
    const records = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [
        `key-${index}`,
        { value: index * 1.5, note: `item  ${index}` },
      ]),
    );
    const json = JSON.stringify(records, null, 4);
    const result = await compressText(`JSON data:\n${json}\n\nKey: "key-7"`, { minTokens: 0 });
    const minified = result.text.slice(result.text.indexOf('{'), result.text.lastIndexOf('}') + 1);
    expect(JSON.parse(minified)).toEqual(records);
    expect(minified).toContain('"note":"item  9"');
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore * 0.8);
    expect(result.methods).toEqual(['lossless']);
  });

  it("selects JSON entries with json: 'select-entries' and keeps the JSON valid", async () => {
    const hex = (seed: number, length: number) =>
      Array.from({ length }, (_, index) => ((seed * 7919 + index * 104729) % 16).toString(16)).join('');
    const uuid = (seed: number) =>
      `${hex(seed, 8)}-${hex(seed + 1, 4)}-4${hex(seed + 2, 3)}-a${hex(seed + 3, 3)}-${hex(seed + 4, 12)}`;
    const records = Object.fromEntries(
      Array.from({ length: 60 }, (_, index) => [uuid(index * 5), uuid(index * 5 + 3)]),
    );
    const keys = Object.keys(records);
    const asked = keys[41]!;
    const json = JSON.stringify(records, null, 1);
    const text = `Extract the value of the key.\n\nJSON data:\n${json}\n\nKey: "${asked}"`;
    const result = await compressText(text, {
      rate: 0.2,
      question: `Key: "${asked}"`,
      json: 'select-entries',
      minTokens: 0,
    });
    const kept = JSON.parse(result.text.slice(result.text.indexOf('{'), result.text.lastIndexOf('}') + 1));
    expect(kept[asked]).toBe(records[asked]);
    expect(Object.keys(kept).length).toBeLessThan(15);
    expect(result.tokensAfter).toBeLessThanOrEqual(Math.floor(result.tokensBefore * 0.2));
    const whole = await compressText(text, { rate: 0.2, question: `Key: "${asked}"`, minTokens: 0 });
    expect(JSON.parse(whole.text.slice(whole.text.indexOf('{'), whole.text.lastIndexOf('}') + 1))).toEqual(
      records,
    );
  });

  it('lossless removes only trailing spaces and extra blank lines; selection drops repeats', async () => {
    const passage = 'The committee approved the budget for the new library after a long debate on Tuesday.';
    const text = `${passage}\n\n\n\n${DISTRACTORS.join('   \n')}\n${passage}\n<!-- internal note -->`;
    const lossless = await compressText(text, { minTokens: 0 });
    expect(lossless.text).toBe(`${passage}\n\n${DISTRACTORS.join('\n')}\n${passage}\n<!-- internal note -->`);
    const selected = await compressText(text, { minTokens: 0, rate: 1 });
    expect(selected.text.split(passage)).toHaveLength(2);
    for (const sentence of DISTRACTORS) expect(selected.text).toContain(sentence);
  });

  it('is deterministic', async () => {
    const options = { rate: 0.3, question: 'desert in Africa', minTokens: 0 };
    const first = await compressText(documents(6), options);
    const second = await compressText(documents(6), options);
    expect(second.text).toBe(first.text);
  });

  it('leaves a short prompt untouched and says why', async () => {
    const text = 'What is  the capital of France?\n\n\n';
    const result = await compressText(text, { rate: 0.2 });
    expect(result.text).toBe(text);
    expect(result.skipped).toBe('short');
    expect(result.trace).toMatchObject({ stage: 'compression', decision: 'skip', reason: 'short' });
  });

  it('keeps few-shot examples whole: question, reasoning and answer line together', async () => {
    const example = (index: number) =>
      `Q: Example question number ${index} about ${DISTRACTORS[index % 10]}\nA: Let's think step by step.\n${DISTRACTORS[(index + 3) % 10]} So the answer is (${'ABCD'[index % 4]}).`;
    const examples = Array.from({ length: 12 }, (_, index) => example(index)).join('\n\n');
    const result = await compressText(examples, { rate: 0.5, minTokens: 0 });
    const kept = Array.from({ length: 12 }, (_, index) => index).filter((index) =>
      result.text.includes(`Q: Example question number ${index} about`),
    );
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(kept.length).toBeLessThan(12);
    for (const index of kept) expect(result.text).toContain(example(index));
    expect(result.text.match(/So the answer is/g)).toHaveLength(kept.length);
  });

  it('reports tokens before and after in a trace step', async () => {
    const result = await compressText(documents(2), { rate: 0.25, question: 'Jupiter day', minTokens: 0 });
    expect(result.trace).toMatchObject({
      stage: 'compression',
      decision: 'compress',
      details: {
        tokensBefore: result.tokensBefore,
        tokensAfter: result.tokensAfter,
        methods: ['lossless', 'select'],
      },
    });
  });

  it('rejects a rate outside (0, 1]', async () => {
    await expect(compressText('x', { rate: 3 })).rejects.toSatisfy(InvalidCompressionOptionsError.isInstance);
  });
});
