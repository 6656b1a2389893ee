/**
 * The damage suite: prompts with code (fenced and not), JSON, YAML, Markdown tables and
 * headings, few-shot examples, tool calls and results, and multilingual text, compressed at 2×,
 * 3× and 5×. Every protected span, taken from the ORIGINAL text, must come out byte-identical;
 * a few-shot example must come out whole or not at all; the system prompt and the question are
 * never cut. Real GSM8K and BIG-Bench-Hard prompts run when ../shared is present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Message, TokenomicsRequest } from '../request/request';
import { compressRequest } from './compress-request';
import { compressText } from './compress-text';

const RATES = [1 / 2, 1 / 3, 1 / 5];
const DATA = new URL('../../../../../shared/datasets/compression', import.meta.url).pathname;

const PROSE = [
  'The museum reopened its east wing after a two year renovation that replaced the old glass roof.',
  'Local farmers report that the spring harvest arrived early because of an unusually warm March.',
  'The city council voted to extend the night bus service to the northern suburbs next autumn.',
  'A new bakery on the main square sells rye bread baked in a wood oven every morning at six.',
  'The river festival draws boats from every village along the valley for a weekend of races.',
  'Engineers inspected the old railway bridge and found the steel beams in surprisingly good shape.',
  'The school library added a reading corner with beanbags and a shelf of comics for younger pupils.',
  'Hikers are asked to stay on marked trails while the mountain meadows recover from the dry summer.',
];

function prose(count: number, seed: number): string {
  return Array.from({ length: count }, (_, index) => PROSE[(index + seed) % PROSE.length]).join(' ');
}

const PYTHON_UNFENCED = [
  'def moving_average(values, window):',
  '    totals = []',
  '    for index in range(len(values) - window + 1):',
  '        chunk = values[index:index + window]',
  '        totals.append(sum(chunk) / window)',
  '',
  '    return totals',
].join('\n');
const FENCED = '```ts\nexport function area(radius: number) {\n  return  Math.PI * radius ** 2;\n}\n```';
const YAML = [
  'server:',
  '  port: 8080',
  '  hosts:',
  '    - alpha.internal',
  '    - beta.internal',
  '  tls:',
  '    enabled: true',
].join('\n');
const TABLE =
  '| city  | population |\n|-------|-----------:|\n| Oslo  |    709,000 |\n| Bergen|    291,000 |';
const HEADING = '## 2.  Results   of the survey';
const MULTILINGUAL = [
  'می‌خواهم این کتاب را بخوانم و نظرم را بنویسم.',
  'Family emoji: 👨‍👩‍👧‍👦 and a flag 🏳️‍🌈 stay joined.',
  '東京の人口は約1400万人です。',
  'हिन्दी में यह वाक्य सुरक्षित रहना चाहिए।',
].join('\n');

/** A long prompt with every protected kind between paragraphs of prose. */
function mixedDocument(): { text: string; spans: string[] } {
  const spans = [PYTHON_UNFENCED, FENCED, YAML, TABLE, HEADING];
  const text = [
    prose(8, 0),
    PYTHON_UNFENCED,
    prose(8, 1),
    FENCED,
    prose(8, 2),
    HEADING,
    prose(8, 3),
    YAML,
    prose(8, 4),
    TABLE,
    prose(8, 5),
  ].join('\n\n');
  return { text, spans };
}

/** Spans that must be present byte for byte, and examples that must be whole or absent. */
function damage(output: string, spans: readonly string[], examples: readonly string[] = []): string[] {
  const problems = spans.filter((span) => !output.includes(span)).map((span) => `cut: ${span.slice(0, 40)}`);
  const lineCounts = new Map<string, number>();
  for (const text of [...examples, ...spans]) {
    for (const line of new Set(text.split('\n'))) lineCounts.set(line, (lineCounts.get(line) ?? 0) + 1);
  }
  for (const example of examples) {
    if (output.includes(example)) continue;
    // Lines only this example has ("A: Let's think step by step." is in all of them).
    const own = example.split('\n').filter((line) => line.trim().length >= 12 && lineCounts.get(line) === 1);
    if (own.some((line) => output.includes(line))) problems.push(`partial: ${example.slice(0, 40)}`);
  }
  return problems;
}

describe('damage suite: constructed prompts (always run)', () => {
  it.each(RATES)('keeps code, YAML, tables and headings byte-identical at rate %d', async (rate) => {
    const { text, spans } = mixedDocument();
    const result = await compressText(text, { rate, minTokens: 0, question: 'When did the museum reopen?' });
    expect(damage(result.text, spans)).toEqual([]);
    expect(result.text).toContain(PROSE[0]!);
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);
  });

  it('lossless alone changes no indentation, no zero-width joiner, no comment, no #### line', async () => {
    const text = [
      PYTHON_UNFENCED,
      YAML,
      MULTILINGUAL,
      '<!-- keep: reviewer note -->',
      'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72',
      '    indented prose line with   two   spaces',
      `${TABLE}   `,
      '',
      '',
      '',
      'End.   ',
    ].join('\n');
    const result = await compressText(text, { minTokens: 0 });
    expect(result.text).toBe(text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n'));
  });

  it('minifies JSON to the same value, every string byte for byte', async () => {
    const value = { name: 'Zoë  “quoted”', tags: ['a  b', 'c'], nested: { n: 1.0, s: 'x\ty' } };
    const json = JSON.stringify(value, null, 4).replace('1', '1.0');
    const text = `${prose(10, 1)}\n\n${json}\n\n${prose(10, 2)}`;
    for (const rate of RATES) {
      const result = await compressText(text, { rate, minTokens: 0, question: 'museum' });
      const start = result.text.indexOf('{');
      const kept = result.text.slice(start, result.text.lastIndexOf('}') + 1);
      expect(JSON.parse(kept)).toEqual(value);
      expect(kept).toContain('"n":1.0');
      expect(kept).toContain('"Zoë  “quoted”"');
    }
  });

  it.each(RATES)('keeps multilingual text with joiners whole at rate %d', async (rate) => {
    const lines = MULTILINGUAL.split('\n');
    const text = lines.map((line, index) => `${line} ${prose(3, index)}`).join('\n\n');
    const result = await compressText(text, { rate, minTokens: 0, question: 'کتاب emoji 東京' });
    // Every kept word is a word of the input: no joiner removed, no character rewritten.
    const words = new Set(text.split(/\s+/));
    for (const kept of result.text.split(/\s+/)) expect(words.has(kept)).toBe(true);
    if (rate >= 1 / 3) {
      expect(result.text).toContain(`${lines[1]}`);
      expect(result.text).toContain(lines[0]!);
    }
  });

  it.each(RATES)(
    'keeps ARC-style 5-shot examples whole (question, four options, answer) at rate %d',
    async (rate) => {
      const examples = Array.from({ length: 5 }, (_, index) =>
        [
          `Question: ${PROSE[index]} Which statement about example ${index} is supported?`,
          `A. ${PROSE[(index + 1) % 8]}`,
          `B. ${PROSE[(index + 2) % 8]}`,
          `C. ${PROSE[(index + 3) % 8]}`,
          `D. ${PROSE[(index + 4) % 8]}`,
          `Answer: ${'ABCD'[index % 4]}`,
        ].join('\n'),
      );
      const question = `Question: Which bridge was inspected by engineers?\nA. rail\nB. road\nC. foot\nD. none\nAnswer:`;
      const text = [...examples, question].join('\n\n');
      const result = await compressText(text, { rate, minTokens: 0 });
      expect(damage(result.text, [question], examples)).toEqual([]);
      expect(examples.some((example) => result.text.includes(example))).toBe(rate > 0.2);
    },
  );

  it.each(RATES)(
    'never cuts the system prompt, the question, tool calls or tool results at rate %d',
    async (rate) => {
      const system = `You are a careful analyst.\n\n  Rules:\n  - cite the table\n  - never guess\n\n${prose(6, 3)}`;
      const toolInput = { query: 'population  of Oslo', filters: { year: 2024 } };
      const toolOutput = `${TABLE}\n\n${prose(6, 1)}`;
      const question = 'Using the notes above, what was the population of Oslo?';
      const messages: Message[] = [
        { role: 'system', content: [{ type: 'text', text: system }] },
        { role: 'user', content: [{ type: 'text', text: `Notes:\n${prose(30, 0)}\n\n${FENCED}` }] },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'stats', input: toolInput }],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 't1', toolName: 'stats', output: toolOutput }],
        },
        { role: 'assistant', content: [{ type: 'text', text: prose(24, 2) }] },
        { role: 'user', content: [{ type: 'text', text: question }] },
      ];
      const request: TokenomicsRequest = { model: 'openai:gpt-4o-mini', messages };
      const result = await compressRequest(request, { rate, minTokens: 0 });
      const out = result.request.messages;
      expect(out[0]).toEqual(messages[0]);
      expect(out[2]).toEqual(messages[2]);
      expect(out[3]).toEqual(messages[3]);
      expect(out.at(-1)).toEqual(messages.at(-1));
      expect((out[1]!.content[0] as { text: string }).text).toContain(FENCED);
      expect(result.tokensAfter).toBeLessThan(result.tokensBefore);
    },
  );
});

describe.skipIf(!existsSync(DATA))(
  'damage suite: GSM8K and BIG-Bench-Hard few-shot prompts (../shared)',
  () => {
    it.each(RATES)(
      'GSM8K 8-shot: every kept example whole with its #### line, question intact, at rate %d',
      async (rate) => {
        const rows = readFileSync(`${DATA}/gsm8k/test.jsonl`, 'utf8')
          .split('\n')
          .filter((line) => line.trim())
          .slice(0, 900)
          .map((line) => JSON.parse(line) as { question: string; answer: string });
        for (let prompt = 0; prompt < 100; prompt += 1) {
          const shots = rows.slice(prompt * 9, prompt * 9 + 8);
          const test = rows[prompt * 9 + 8]!;
          const examples = shots.map((row) => `Question: ${row.question}\nAnswer: ${row.answer}`);
          const question = `Question: ${test.question}\nAnswer:`;
          const result = await compressText([...examples, question].join('\n\n'), { rate, minTokens: 0 });
          expect(damage(result.text, [question], examples)).toEqual([]);
          expect(result.ratio).toBeGreaterThan(1 / rate - 0.5);
          for (const line of result.text.match(/^#### .*$/gm) ?? []) {
            expect(examples.some((example) => example.includes(line))).toBe(true);
          }
        }
      },
    );

    it.each(RATES)(
      'BIG-Bench-Hard chain-of-thought prompts: examples whole, question intact, at rate %d',
      async (rate) => {
        const folder = `${DATA}/bbh/cot-prompts`;
        for (const file of readdirSync(folder).sort()) {
          const raw = readFileSync(`${folder}/${file}`, 'utf8');
          const body = raw.slice(raw.indexOf('-----') + 5).trim();
          const [, ...examples] = body.split('\n\n');
          const task = JSON.parse(
            readFileSync(`${DATA}/bbh/tasks/${file.replace(/\.txt$/, '.json')}`, 'utf8'),
          ) as { examples: Array<{ input: string }> };
          const question = `Q: ${task.examples[0]!.input}\nA: Let's think step by step.`;
          const result = await compressText(`${body}\n\n${question}`, { rate, minTokens: 0 });
          expect({ file, problems: damage(result.text, [question], examples) }).toEqual({
            file,
            problems: [],
          });
        }
      },
    );
  },
);
