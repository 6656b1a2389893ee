import type { ResponseContent, Usage } from '../cache/cached-response';
import type { ContentPart, TokenomicsRequest } from '../request/request';
import { getTokenCounter, type TokenCounter } from './token-counter';

/**
 * Chat formats wrap each message in a few marker tokens (role, start, end), and the reply is
 * primed with a few more. These are the counts OpenAI documents for its chat models; other
 * providers differ by a token or two per message, which is within what an estimate promises.
 */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PRIMING_REPLY = 3;

/**
 * Usage for a call whose provider reported none, counted with tiktoken: every message's text,
 * tool calls and tool results (as JSON), the tool definitions, plus a small per-message overhead;
 * the response's text, reasoning and tool calls as output. Images and files are not counted.
 * The result is an estimate: use reported usage whenever the provider gives it.
 */
export async function estimateUsage(
  request: TokenomicsRequest,
  response: string | readonly ResponseContent[],
): Promise<Usage> {
  const counter = await getTokenCounter(request.model);
  let inputTokens = TOKENS_PRIMING_REPLY;
  for (const message of request.messages) {
    inputTokens += TOKENS_PER_MESSAGE + counter.count(message.role);
    for (const part of message.content) inputTokens += countPart(counter, part);
  }
  for (const tool of request.tools ?? []) {
    inputTokens += counter.count(
      jsonText({ name: tool.name, description: tool.description, parameters: tool.inputSchema }),
    );
  }

  if (typeof response === 'string') return { inputTokens, outputTokens: counter.count(response) };
  let outputTokens = 0;
  let reasoningTokens = 0;
  for (const part of response) {
    if (part.type === 'text') outputTokens += counter.count(part.text);
    else if (part.type === 'reasoning') reasoningTokens += counter.count(part.text);
    else outputTokens += counter.count(part.toolName) + counter.count(jsonText(part.input));
  }
  // Output counts include reasoning, the convention pricing and the AI SDK share.
  return reasoningTokens > 0
    ? { inputTokens, outputTokens: outputTokens + reasoningTokens, reasoningTokens }
    : { inputTokens, outputTokens };
}

function countPart(counter: TokenCounter, part: ContentPart): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return counter.count(part.text);
    case 'tool-call':
      return counter.count(part.toolName) + counter.count(jsonText(part.input));
    case 'tool-result':
      return counter.count(jsonText(part.output));
    case 'media':
      return 0;
    case 'other':
      return counter.count(jsonText(part.value));
  }
}

function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // Cycles or BigInt: such a value is not what a provider would be sent anyway.
    return '';
  }
}
