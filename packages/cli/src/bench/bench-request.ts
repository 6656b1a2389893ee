import type { CachedResponse, Scope, TokenomicsRequest } from '@tokenomics/core';

/** The model id benchmark requests name; entries of one benchmark never meet another's. */
export const BENCH_MODEL = 'bench:cache';

/** A conversation of user turns (with the answers the assistant gave in between) as a cache request. */
export function benchRequest(
  turns: ReadonlyArray<{ user: string; assistant?: string }>,
  scope?: Scope,
): TokenomicsRequest {
  const messages: TokenomicsRequest['messages'] = [];
  for (const turn of turns) {
    messages.push({ role: 'user', content: [{ type: 'text', text: turn.user }] });
    if (turn.assistant !== undefined)
      messages.push({ role: 'assistant', content: [{ type: 'text', text: turn.assistant }] });
  }
  return { model: BENCH_MODEL, messages, settings: { temperature: 0 }, ...(scope ? { scope } : {}) };
}

export function benchResponse(text: string): CachedResponse {
  return {
    content: [{ type: 'text', text }],
    finishReason: 'stop',
    usage: { inputTokens: 20, outputTokens: 40 },
  };
}
