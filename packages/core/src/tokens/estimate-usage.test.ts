import { describe, expect, it } from 'vitest';
import type { TokenomicsRequest } from '../request/request';
import { estimateUsage } from './estimate-usage';
import { countTokens } from './token-counter';

const model = 'openai:gpt-4o-mini';

function request(
  messages: TokenomicsRequest['messages'],
  extra: Partial<TokenomicsRequest> = {},
): TokenomicsRequest {
  return { model, messages, ...extra };
}

describe('estimateUsage', () => {
  it('counts the response text as output and each message text plus a per-message overhead as input', async () => {
    const question = 'What is the capital of France?';
    const answer = 'The capital of France is Paris.';
    const one = await estimateUsage(
      request([{ role: 'user', content: [{ type: 'text', text: question }] }]),
      answer,
    );
    expect(one.outputTokens).toBe(await countTokens(answer, model));
    expect(one.inputTokens).toBeGreaterThan(await countTokens(question, model));

    const system = 'You are terse.';
    const two = await estimateUsage(
      request([
        { role: 'system', content: [{ type: 'text', text: system }] },
        { role: 'user', content: [{ type: 'text', text: question }] },
      ]),
      answer,
    );
    // The added message costs its text, its role and the fixed per-message overhead.
    const added = (await countTokens(system, model)) + (await countTokens('system', model)) + 3;
    expect(two.inputTokens! - one.inputTokens!).toBe(added);
  });

  it('counts tool definitions, tool calls and tool results', async () => {
    const base = request([{ role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] }]);
    const withTools = await estimateUsage(
      {
        ...base,
        tools: [
          { name: 'weather', description: 'Current weather for a city', inputSchema: { type: 'object' } },
        ],
        messages: [
          ...base.messages,
          {
            role: 'assistant',
            content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Oslo' } }],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { celsius: -3 } },
            ],
          },
        ],
      },
      '',
    );
    const plain = await estimateUsage(base, '');
    expect(withTools.inputTokens! - plain.inputTokens!).toBeGreaterThan(20);
  });

  it('counts tool calls and reasoning in a structured response, reasoning inside output', async () => {
    const usage = await estimateUsage(request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]), [
      { type: 'reasoning', text: 'The user greets me; greet back.' },
      { type: 'text', text: 'Hello!' },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'log', input: { event: 'greeting' } },
    ]);
    const reasoning = await countTokens('The user greets me; greet back.', model);
    expect(usage.reasoningTokens).toBe(reasoning);
    expect(usage.outputTokens).toBeGreaterThan(reasoning + (await countTokens('Hello!', model)));
  });
});
