import type { Message, TokenomicsRequest } from './request';

/** What the semantic cache embeds and compares for one request. */
export type SemanticText = {
  /** The last user turn's text. */
  query: string;
  /**
   * The earlier user turns the query depends on ('' for a first turn). A follow-up can only
   * match a stored follow-up whose context matches too. Assistant turns are left out: they
   * follow from the user turns, and their wording varies from run to run.
   */
  context: string;
};

export type SemanticIneligibility =
  | 'last-turn-not-user'
  | 'no-user-text'
  | 'has-media'
  | 'has-tool-turns'
  | 'too-long';

/** Longest query (characters) the semantic stage will embed; longer ones use the exact key only. */
export const MAX_SEMANTIC_QUERY_CHARS = 8_000;
const MAX_CONTEXT_CHARS = 4_000;

/**
 * The semantic text of a request, or why it cannot take part in semantic lookup.
 * Requests with images or files, tool turns, or huge text are served by exact key only.
 */
export function semanticText(
  request: TokenomicsRequest,
): { ok: true; text: SemanticText } | { ok: false; reason: SemanticIneligibility } {
  const turns = request.messages.filter((message) => message.role !== 'system');
  const last = turns.at(-1);
  if (last?.role !== 'user') return { ok: false, reason: 'last-turn-not-user' };
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'media') return { ok: false, reason: 'has-media' };
      if (part.type === 'tool-call' || part.type === 'tool-result')
        return { ok: false, reason: 'has-tool-turns' };
    }
  }
  const query = messageText(last).trim();
  if (query.length === 0) return { ok: false, reason: 'no-user-text' };
  if (query.length > MAX_SEMANTIC_QUERY_CHARS) return { ok: false, reason: 'too-long' };
  const context = turns
    .slice(0, -1)
    .filter((message) => message.role === 'user')
    .map((message) => messageText(message).trim())
    .join('\n');
  return { ok: true, text: { query, context: tail(context, MAX_CONTEXT_CHARS) } };
}

export function messageText(message: Message): string {
  return message.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

function tail(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : text.slice(text.length - maxChars);
}
