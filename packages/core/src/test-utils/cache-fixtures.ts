import type { CachedResponse } from '../cache/cached-response';
import type { Message, TokenomicsRequest } from '../request/request';

/**
 * Small builders for cache tests: a chat request from plain turns, and an answer.
 * `turns` alternate user / assistant, starting and ending with a user turn.
 */
export function chatRequest(
  turns: string | string[],
  overrides: Partial<TokenomicsRequest> & { system?: string } = {},
): TokenomicsRequest {
  const { system = 'You are a helpful assistant.', ...rest } = overrides;
  const list = typeof turns === 'string' ? [turns] : turns;
  const messages: Message[] = [{ role: 'system', content: [{ type: 'text', text: system }] }];
  list.forEach((text, index) => {
    messages.push({ role: index % 2 === 0 ? 'user' : 'assistant', content: [{ type: 'text', text }] });
  });
  return {
    model: 'openai:gpt-4o-mini',
    settings: { temperature: 0 },
    scope: { tenant: 'acme' },
    messages,
    ...rest,
  };
}

export function textAnswer(
  text: string,
  finishReason: CachedResponse['finishReason'] = 'stop',
): CachedResponse {
  return { content: [{ type: 'text', text }], finishReason, usage: { inputTokens: 20, outputTokens: 8 } };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
