import { describe, expect, it } from 'vitest';
import { CostLedger } from '../ledger/cost-ledger';
import type { Message, TokenomicsRequest } from '../request/request';
import { compressRequest } from './compress-request';
import { compressText } from './compress-text';
import { InvalidCompressionOptionsError } from './invalid-compression-options-error';

const TOPICS = [
  'The harbour ferry leaves every forty minutes and stops at the island pier before the lighthouse.',
  'Our school choir rehearses on Thursdays and performs at the town hall each December evening.',
  'The mountain pass closes in winter when snow drifts cover the road above the tree line.',
  'Apple orchards in the valley are harvested by hand in October by seasonal pickers.',
  'The public pool added a lane for swimmers training for the autumn lake crossing.',
  'A small museum near the station displays tools used by the first railway workers.',
];
const GOLD = 'The Marrow Bridge was designed by engineer Ilse Varga and opened to traffic in 1911.';
const QUESTION = 'Who designed the Marrow Bridge?';

function documents(count: number, goldAt: number): string {
  return Array.from({ length: count }, (_, index) => {
    const body =
      index === goldAt
        ? `${GOLD} It spans the river at its widest point.`
        : `${TOPICS[index % TOPICS.length]} ${TOPICS[(index + 2) % TOPICS.length]}`;
    return `Document [${index + 1}](Title: Note ${index + 1}) ${body}`;
  }).join('\n');
}

const text = (message: Message | undefined) =>
  message?.content.map((part) => (part.type === 'text' ? part.text : '')).join('') ?? '';

function request(messages: Message[]): TokenomicsRequest {
  return { model: 'openai:gpt-4o-mini', messages };
}

describe('the usual retrieval layouts compress by default', () => {
  it('documents in the system prompt: the instructions and the question stay', async () => {
    const instructions = 'You answer from the documents below. Cite the document number.';
    const system = `${instructions}\n\nDocuments:\n${documents(20, 13)}`;
    const result = await compressRequest(
      request([
        { role: 'system', content: [{ type: 'text', text: system }] },
        { role: 'user', content: [{ type: 'text', text: QUESTION }] },
      ]),
      { rate: 1 / 3 },
    );
    expect(result.ratio).toBeGreaterThan(2.5);
    expect(text(result.request.messages[0]).startsWith(`${instructions}\n\nDocuments:\n`)).toBe(true);
    expect(text(result.request.messages[0])).toContain(GOLD);
    expect(text(result.request.messages[1])).toBe(QUESTION);
  });

  it.each([
    ['below', (docs: string) => `Answer using the documents.\n\n${docs}\n\nQuestion: ${QUESTION}\nAnswer:`],
    ['above', (docs: string) => `${QUESTION} Use only these search results.\n\n${docs}`],
    ['in a tag', (docs: string) => `<context>\n${docs}\n</context>\n\nPlease answer: ${QUESTION}`],
  ])('documents and question in one user message, question %s', async (_where, build) => {
    const message = build(documents(20, 6));
    const result = await compressRequest(
      request([
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: message }] },
      ]),
      { rate: 1 / 3 },
    );
    const out = text(result.request.messages[1]);
    expect(result.ratio).toBeGreaterThan(2.5);
    expect(out).toContain(GOLD);
    expect(out).toContain(QUESTION);
    // Everything outside the documents is the user's own words: kept as written.
    for (const line of message.split('\n').filter((line) => !line.startsWith('Document ['))) {
      expect(out).toContain(line);
    }
  });

  it('documents as earlier messages', async () => {
    const docs = documents(20, 11).split('\n');
    const result = await compressRequest(
      request([
        { role: 'user', content: [{ type: 'text', text: docs.slice(0, 10).join('\n') }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Got them.' }] },
        { role: 'user', content: [{ type: 'text', text: docs.slice(10).join('\n') }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Got those too.' }] },
        { role: 'user', content: [{ type: 'text', text: QUESTION }] },
      ]),
      { rate: 1 / 3 },
    );
    expect(result.ratio).toBeGreaterThan(2.5);
    expect(result.request.messages.map(text).join('\n')).toContain(GOLD);
    expect(text(result.request.messages[4])).toBe(QUESTION);
    expect(result.sources).toEqual([0, 1, 2, 3, 4]);
  });

  it("leaves a user's own long text alone by default (no retrieved context in it)", async () => {
    const essay = Array.from({ length: 40 }, (_, index) => TOPICS[index % TOPICS.length]).join(' ');
    const message = `Please fix the grammar of my essay.\n\n${essay}`;
    const result = await compressRequest(
      request([{ role: 'user', content: [{ type: 'text', text: message }] }]),
      {
        rate: 1 / 3,
        minTokens: 0,
      },
    );
    expect(text(result.request.messages[0])).toBe(message);
    expect(result.skipped).toBe('nothing-compressible');
  });
});

describe('saying what happened', () => {
  it('reports the target, the achieved ratio and why when protected code is over the target', async () => {
    const code = Array.from({ length: 60 }, (_, index) => `    total_${index} = compute(${index}, scale=2)`);
    const body = `def run():\n${code.join('\n')}\n    return total_0`;
    const result = await compressText(`${body}\n\n${TOPICS.join(' ')}`, { rate: 1 / 5, minTokens: 0 });
    expect(result.text).toContain(body);
    expect(result.shortfall).toEqual({ targetTokens: expect.any(Number), reason: 'protected-content' });
    expect(result.trace.details).toMatchObject({
      shortfall: 'protected-content',
      targetRatio: expect.any(Number),
    });
    expect(result.ratio).toBeLessThan(2);
  });

  it('long chats: keepLastTurns drops whole old turns to reach the target; without it, says why', async () => {
    const messages: Message[] = [
      { role: 'system', content: [{ type: 'text', text: 'You are a travel helper.' }] },
    ];
    for (let turn = 0; turn < 200; turn += 1) {
      messages.push({ role: 'user', content: [{ type: 'text', text: `Q${turn}: ${TOPICS[turn % 6]}` }] });
      messages.push({
        role: 'assistant',
        content: [{ type: 'text', text: `A${turn}: ${TOPICS[(turn + 1) % 6]}` }],
      });
    }
    messages.push({ role: 'user', content: [{ type: 'text', text: 'When does the harbour ferry leave?' }] });
    const plain = await compressRequest(request(messages), { rate: 1 / 5 });
    expect(plain.ratio).toBeLessThan(5);
    expect(plain.shortfall?.reason).toBe('message-floor');
    const ledger = new CostLedger();
    const dropped = await compressRequest(request(messages), { rate: 1 / 5, keepLastTurns: 4, ledger });
    expect(dropped.ratio).toBeGreaterThanOrEqual(5);
    expect(dropped.shortfall).toBeUndefined();
    const out = dropped.request.messages;
    expect(out[0]).toBe(messages[0]);
    expect(out.at(-1)).toBe(messages.at(-1));
    expect(out.slice(-9).map(text)).toEqual(messages.slice(-9).map(text));
    // Roles still alternate after the system prompt, and the sources say where each came from.
    for (const [index, message] of out.slice(1).entries()) {
      expect(message.role).toBe(index % 2 === 0 ? 'user' : 'assistant');
    }
    dropped.sources.forEach((source, index) => {
      expect(source).toBeGreaterThanOrEqual(index);
      expect(out[index]!.role).toBe(messages[source!]!.role);
    });
    expect(dropped.sources.at(-1)).toBe(messages.length - 1);
    expect(ledger.entries()).toEqual([
      expect.objectContaining({ model: 'openai:gpt-4o-mini', stage: 'compression' }),
    ]);
  });

  it('rejects a rate above 1 with what to write instead', async () => {
    const error = await compressText('text', { rate: 3 }).catch((caught: unknown) => caught);
    expect(InvalidCompressionOptionsError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('rate: 1 / 3');
  });
});
