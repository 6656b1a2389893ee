import { describe, expect, it } from 'vitest';
import { CostLedger } from '../ledger/cost-ledger';
import { createPricing } from '../pricing/create-pricing';
import type { Message, TokenomicsRequest } from '../request/request';
import { getTokenCounter } from '../tokens/token-counter';
import { compressRequest } from './compress-request';

const FACTS = [
  'The harbor bridge opened in 1932 after eight years of construction by a crew of 1,400 workers.',
  'Our office plants are watered every Monday by the facilities team, who also restock the kitchen.',
  'The quarterly report shows revenue grew by 12% while operating costs stayed flat across regions.',
  'A new espresso machine was installed on the third floor next to the large meeting room last week.',
  'The parking garage will close for repainting during the first two weekends of the coming month.',
  'Security badges must be renewed each January at the front desk in the main lobby of the building.',
];

const OPENERS = [
  '',
  'Reportedly, ',
  'As noted before, ',
  'In short, ',
  'According to the memo, ',
  'Once again, ',
];

/** Distinct sentences (no two equal, so deduplication leaves them all). */
function longText(seed: number, sentences = 30): string {
  return Array.from({ length: sentences }, (_, index) => {
    const fact = FACTS[(index + seed) % FACTS.length]!;
    const opener = OPENERS[Math.floor(index / FACTS.length) % OPENERS.length]!;
    return opener ? opener + fact[0]!.toLowerCase() + fact.slice(1) : fact;
  }).join(' ');
}

const SYSTEM = 'You are a helpful assistant.   Answer briefly.\n\n\n' + longText(0, 8);
const TOOL_RESULT = { rows: [{ id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', total: 1234.5 }] };

function conversation(): TokenomicsRequest {
  const messages: Message[] = [
    { role: 'system', content: [{ type: 'text', text: SYSTEM }] },
    { role: 'user', content: [{ type: 'text', text: `Notes from the meeting: ${longText(1)}` }] },
    { role: 'assistant', content: [{ type: 'text', text: `Summary of notes: ${longText(2)}` }] },
    { role: 'user', content: [{ type: 'text', text: 'Look up the order total.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'tool-call', toolCallId: 'call-1', toolName: 'lookup', input: { q: 'order  total' } },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call-1', toolName: 'lookup', output: TOOL_RESULT }],
    },
    { role: 'assistant', content: [{ type: 'text', text: `The total is 1234.5. ${longText(3, 20)}` }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'When did the harbor bridge open,   and how many workers built it?\n\n\n' },
      ],
    },
  ];
  return {
    model: 'openai:gpt-4o-mini',
    messages,
    tools: [{ name: 'lookup', description: 'Look up   a value', inputSchema: { type: 'object' } }],
  };
}

describe('compressRequest', () => {
  it('keeps system prompt, tools, tool turns and the last user message byte for byte', async () => {
    const request = conversation();
    const before = structuredClone(request);
    const result = await compressRequest(request, { rate: 0.25, minTokens: 0 });
    expect(request).toEqual(before);
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore * 0.6);
    const out = result.request;
    expect(out.messages[0]).toBe(request.messages[0]);
    expect(out.tools).toBe(request.tools);
    expect(out.messages.slice(3, 6)).toEqual(request.messages.slice(3, 6));
    expect(out.messages.at(-1)).toEqual(request.messages.at(-1));
    expect(out.messages).toHaveLength(request.messages.length);
  });

  it('ranks older turns against the last question and keeps the answer', async () => {
    const result = await compressRequest(conversation(), { rate: 0.3, minTokens: 0 });
    const older = result.request.messages
      .slice(1, 7)
      .map((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''))
      .join('\n');
    expect(older).toContain(
      'he harbor bridge opened in 1932 after eight years of construction by a crew of 1,400 workers.',
    );
    // The budget fits more than the matching sentences: they must all be in before any filler.
    const input = conversation()
      .messages.slice(1, 7)
      .flatMap((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')))
      .join(' ');
    const distinctMatches = new Set(input.match(/[^.]*harbor bridge opened in 1932[^.]*\./g)).size;
    expect(distinctMatches).toBeGreaterThan(3);
    expect(older.match(/harbor bridge opened in 1932/g)?.length).toBe(distinctMatches);
    expect(older.match(/espresso/g)?.length ?? 0).toBeLessThanOrEqual(3);
    for (const message of result.request.messages) {
      for (const part of message.content)
        if (part.type === 'text') expect(part.text.trim().length).toBeGreaterThan(0);
    }
  });

  it('never changes the stable prefix it is told to keep', async () => {
    const request = conversation();
    const result = await compressRequest(request, { rate: 0.2, minTokens: 0, stablePrefix: 3 });
    expect(result.request.messages.slice(0, 3)).toEqual(request.messages.slice(0, 3));
    expect(result.request.messages[6]).not.toEqual(request.messages[6]);
    expect(result.trace.details).toMatchObject({ stablePrefix: 3 });
  });

  it('prices the saved input tokens when given pricing', async () => {
    const pricing = {
      cost: (_model: string, usage: { inputTokens?: number }) => (usage.inputTokens ?? 0) * 2e-6,
    };
    const result = await compressRequest(conversation(), { rate: 0.25, minTokens: 0, pricing });
    expect(result.trace.details?.dollarsSaved).toBeCloseTo(
      (result.tokensBefore - result.tokensAfter) * 2e-6,
      10,
    );
  });

  it('records the input tokens before and after in the ledger, and nothing for a no-op', async () => {
    const ledger = new CostLedger({
      pricing: createPricing({ overrides: { 'test-model': { inputPerMillion: 2, outputPerMillion: 8 } } }),
    });
    const request = { ...conversation(), model: 'test-model', scope: { tenant: 'acme' } };
    const result = await compressRequest(request, { rate: 0.25, minTokens: 0, ledger, traceId: 't-1' });
    await compressRequest(request, { rate: 0.25, minTokens: 100_000, ledger });
    const [record, ...others] = ledger.entries();
    expect(others).toHaveLength(0);
    expect(record).toMatchObject({ traceId: 't-1', stage: 'compression', scope: { tenant: 'acme' } });
    const totals = ledger.totals({ stage: 'compression' });
    expect(totals.saved.tokens).toBe(result.tokensBefore - result.tokensAfter);
    expect(totals.saved.dollars).toBeCloseTo(((result.tokensBefore - result.tokensAfter) * 2) / 1e6, 10);
  });

  it("counts with the model's encoding (o200k_base for gpt-4o)", async () => {
    const text = 'Ünïcödé and emoji 🙂 with numbers 1234567 and words in several languages: 東京 Привет';
    const request = (model: string): TokenomicsRequest => ({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    });
    const o200k = await getTokenCounter('openai:gpt-4o');
    const cl100k = await getTokenCounter('openai:gpt-4');
    expect(o200k.count(text)).not.toBe(cl100k.count(text));
    expect((await compressRequest(request('openai:gpt-4o'))).tokensBefore).toBe(o200k.count(text));
    expect((await compressRequest(request('openai:gpt-4'))).tokensBefore).toBe(cl100k.count(text));
  });

  it('meets a whole-request token budget', async () => {
    const result = await compressRequest(conversation(), { targetTokens: 450, minTokens: 0 });
    expect(result.tokensBefore).toBeGreaterThan(900);
    expect(result.tokensAfter).toBeLessThanOrEqual(450);
  });

  it("compresses retrieved text in the last user message above its question in 'question' mode", async () => {
    const question = 'When did the harbor bridge open?';
    const request: TokenomicsRequest = {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: `${longText(4, 40)}\n\n${question}` }] }],
    };
    const whole = await compressRequest(request, { rate: 0.2, minTokens: 0 });
    expect(whole.request).toBe(request);
    const result = await compressRequest(request, { rate: 0.2, minTokens: 0, lastUserMessage: 'question' });
    const text = (result.request.messages[0]!.content[0] as { text: string }).text;
    expect(text.endsWith(`\n\n${question}`)).toBe(true);
    expect(text).toContain('opened in 1932');
    expect(result.ratio).toBeGreaterThan(3);
  });

  it('drops a repeated exchange and summarizes older turns with the given function', async () => {
    const exchange: Message[] = [
      { role: 'user', content: [{ type: 'text', text: `Tell me about the office. ${longText(5, 10)}` }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'The office is a quiet place to work, with plants, a kitchen and a garage.' },
        ],
      },
    ];
    const request: TokenomicsRequest = {
      model: 'm',
      messages: [
        ...exchange,
        ...exchange,
        { role: 'user', content: [{ type: 'text', text: 'And the garage?' }] },
      ],
    };
    // Dropping a repeat changes what the model reads: it is part of selection, not of lossless.
    expect((await compressRequest(request, { minTokens: 0 })).request.messages).toHaveLength(5);
    const deduplicated = await compressRequest(request, { minTokens: 0, rate: 1 });
    expect(deduplicated.request.messages).toEqual([...exchange, request.messages[4]]);
    expect(deduplicated.trace.details).toMatchObject({ removedTurns: 2 });

    const seen: Message[][] = [];
    const summarized = await compressRequest(request, {
      minTokens: 0,
      dropRepeatedTurns: false,
      keepRecentMessages: 1,
      summarize: async (messages) => {
        seen.push(messages);
        return 'The user asked about the office twice.';
      },
    });
    expect(seen[0]).toHaveLength(4);
    expect(summarized.request.messages).toHaveLength(2);
    expect(summarized.request.messages[0]!.content[0]).toEqual({
      type: 'text',
      text: 'Summary of the earlier conversation:\nThe user asked about the office twice.',
    });
    expect(summarized.request.messages[1]).toBe(request.messages[4]);
    expect(summarized.tokensAfter).toBeLessThan(summarized.tokensBefore / 5);
  });

  it('is a no-op below minTokens and deterministic above it', async () => {
    const short = conversation();
    const skipped = await compressRequest(short, { rate: 0.2, minTokens: 100_000 });
    expect(skipped.request).toBe(short);
    expect(skipped.skipped).toBe('short');
    const first = await compressRequest(conversation(), { rate: 0.3, minTokens: 0 });
    const second = await compressRequest(conversation(), { rate: 0.3, minTokens: 0 });
    expect(second.request).toEqual(first.request);
  });
});
