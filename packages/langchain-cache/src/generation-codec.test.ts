import { AIMessage } from '@langchain/core/messages';
import type { CachedResponse } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import {
  type TokenomicsHitMetadata,
  toCachedResponse,
  toChatGeneration,
  toMessageChunks,
} from './generation-codec';

const hit: TokenomicsHitMetadata = {
  cached: true,
  kind: 'exact',
  traceId: 't-1',
  savedUsage: { inputTokens: 5, outputTokens: 3 },
};

function generationOf(fields: ConstructorParameters<typeof AIMessage>[0]) {
  const message = new AIMessage(fields);
  return { text: message.text, message };
}

describe('toCachedResponse', () => {
  it('keeps text, tool calls, usage and the finish reason as plain data', () => {
    const converted = toCachedResponse(
      generationOf({
        content: 'Let me look.',
        tool_calls: [{ id: 'c1', name: 'search', args: { q: 'oslo' } }],
        usage_metadata: {
          input_tokens: 12,
          output_tokens: 4,
          total_tokens: 16,
          input_token_details: { cache_read: 2 },
        },
        response_metadata: { finish_reason: 'tool_calls', model_name: 'gpt-x' },
      }),
    );
    expect(converted).toMatchObject({
      response: {
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'search', input: { q: 'oslo' } },
        ],
        finishReason: 'tool-calls',
        usage: { inputTokens: 12, outputTokens: 4, cachedInputTokens: 2 },
        metadata: { model: 'gpt-x' },
      },
    });
  });

  it('refuses truncated, filtered, failed and empty answers, whatever the provider calls them', () => {
    const refusedFor = (response_metadata: Record<string, unknown>, content = 'partial') =>
      toCachedResponse(generationOf({ content, response_metadata }));
    expect(refusedFor({ finish_reason: 'length' })).toEqual({ refused: 'truncated-answer' });
    expect(refusedFor({ stop_reason: 'max_tokens' })).toEqual({ refused: 'truncated-answer' });
    expect(refusedFor({ finishReason: 'MAX_TOKENS' })).toEqual({ refused: 'truncated-answer' });
    expect(refusedFor({ finish_reason: 'content_filter' })).toEqual({ refused: 'filtered-answer' });
    expect(refusedFor({ finish_reason: 'stop' }, '')).toEqual({ refused: 'empty-answer' });
    expect(refusedFor({ stop_reason: 'end_turn' })).toHaveProperty('response');
  });
});

describe('toChatGeneration', () => {
  it('rebuilds an answer stored by another adapter (no LangChain replay) from the neutral content', () => {
    const stored: CachedResponse = {
      content: [
        { type: 'text', text: 'Sunny.' },
        { type: 'tool-call', toolCallId: 'c9', toolName: 'weather', input: { city: 'Oslo' } },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 5, outputTokens: 3 },
    };
    const generation = toChatGeneration(stored, hit);
    const message = generation.message as AIMessage;
    expect(message.text).toBe('Sunny.');
    expect(message.tool_calls).toMatchObject([{ id: 'c9', name: 'weather', args: { city: 'Oslo' } }]);
    expect(message.usage_metadata).toEqual({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    expect(message.response_metadata.tokenomics).toEqual(hit);
    expect(generation.generationInfo?.tokenomics).toEqual(hit);
  });

  it('gives stream chunks that add up to the same message', () => {
    const converted = toCachedResponse(
      generationOf({
        content: 'It is sunny in Oslo today.',
        tool_calls: [{ id: 'c1', name: 'log', args: { level: 'info' } }],
        response_metadata: { finish_reason: 'stop' },
      }),
    );
    if (!('response' in converted)) throw new Error('expected a storable answer');
    const chunks = toMessageChunks(converted.response, hit);
    const joined = chunks
      .slice(1)
      .reduce((total, chunk) => total.concat(chunk), chunks[0] as (typeof chunks)[number]);
    const whole = toChatGeneration(converted.response, hit).message as AIMessage;
    expect(chunks.length).toBeGreaterThan(3);
    expect(joined.text).toBe(whole.text);
    expect(joined.tool_calls).toEqual(whole.tool_calls?.map((call) => ({ ...call, type: 'tool_call' })));
    expect(joined.response_metadata.tokenomics).toEqual(hit);
  });
});

describe('toChatGeneration text', () => {
  it('equals the message text whatever the content shape and provider metadata', () => {
    const cases: Array<ConstructorParameters<typeof AIMessage>[0]> = [
      { content: 'Plain answer.', response_metadata: { finish_reason: 'stop' } },
      {
        content: [
          { type: 'text', text: 'Part one. ' },
          { type: 'text', text: 'Part two.' },
        ],
        response_metadata: { finish_reason: 'stop' },
      },
      { content: 'From a provider.', response_metadata: { finish_reason: 'stop', model_provider: 'openai' } },
      {
        content: 'Calling.',
        tool_calls: [{ id: 'c1', name: 'search', args: { q: 'oslo' } }],
        response_metadata: { finish_reason: 'tool_calls' },
      },
    ];
    for (const fields of cases) {
      const converted = toCachedResponse(generationOf(fields));
      if (!('response' in converted)) throw new Error('expected a storable answer');
      const generation = toChatGeneration(converted.response, hit);
      expect(generation.text).toBe(generation.message.text);
      expect(generation.text.length).toBeGreaterThan(0);
    }
  });
});
