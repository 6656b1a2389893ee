import { AIMessage } from '@langchain/core/messages';
import { logprobConfidenceScorer, structuredOutputScorer, truncationScorer } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { messageAnswer } from './message-answer';

const tier = { id: 'cheap', model: 'scripted:small-1' };
const random = () => 0.5;

describe('messageAnswer', () => {
  it('keeps an invalid tool call as raw text, so the structure check fails it', async () => {
    // A provider returned argument text that is not JSON: LangChain files it as an invalid call.
    const message = new AIMessage({
      content: '',
      invalid_tool_calls: [
        { type: 'invalid_tool_call', id: 'c1', name: 'lookup', args: '{"city": ', error: 'bad JSON' },
      ],
    });
    const answer = messageAnswer(message);
    expect(answer.content).toEqual([
      { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: '{"city": ' },
    ]);
    const request = {
      model: 'router',
      messages: [],
      tools: [{ name: 'lookup', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
    };
    const verdict = await structuredOutputScorer().score({ request, answer, tier, random });
    expect(verdict?.score).toBe(0);
  });

  it('reads provider finish reasons, so a cut-off answer scores as truncated', async () => {
    const cut = messageAnswer(
      new AIMessage({ content: 'The first half', response_metadata: { stop_reason: 'max_tokens' } }),
    );
    const done = messageAnswer(
      new AIMessage({ content: 'Done.', response_metadata: { finish_reason: 'stop' } }),
    );
    expect(cut.finishReason).toBe('length');
    expect(done.finishReason).toBe('stop');
    const request = { model: 'router', messages: [] };
    expect((await truncationScorer().score({ request, answer: cut, tier, random }))?.score).toBeLessThan(0.5);
  });

  it('carries usage and OpenAI-style token logprobs for the confidence scorer', async () => {
    const answer = messageAnswer(
      new AIMessage({
        content: [{ type: 'text', text: 'Paris' }],
        usage_metadata: {
          input_tokens: 12,
          output_tokens: 2,
          total_tokens: 14,
          input_token_details: { cache_read: 4 },
        },
        response_metadata: { logprobs: { content: [{ token: 'Paris', logprob: -0.01 }] } },
      }),
    );
    expect(answer.usage).toEqual({ inputTokens: 12, outputTokens: 2, cachedInputTokens: 4 });
    const verdict = await logprobConfidenceScorer().score({
      request: { model: 'r', messages: [] },
      answer,
      tier,
      random,
    });
    expect(verdict?.score).toBeGreaterThan(0.9);
  });
});
