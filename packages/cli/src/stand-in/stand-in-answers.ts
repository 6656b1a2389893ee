import { estimateUsage, type TokenomicsRequest, type Usage } from '@tokenomics/core';

/** The label every line of offline output carries. */
export const OFFLINE_LABEL = '[offline stand-in]';

/**
 * Gives the stand-in's fixed answer to a conversation, given its user turns oldest first: a
 * follow-up such as "What are its types?" has a different answer in each conversation.
 */
export type AnswerBook = (userTurns: readonly string[]) => string;

/**
 * An answer book from a table keyed by the user turns joined with newlines (a first question is
 * its own key); unknown conversations get a recognizable generic answer.
 */
export function answerBook(answers: ReadonlyMap<string, string>): AnswerBook {
  return (userTurns) => {
    const key = userTurns.map((turn) => turn.trim()).join('\n');
    return answers.get(key) ?? `Offline stand-in answer to: ${userTurns.at(-1)?.trim() ?? ''}`;
  };
}

export type StandInReply = { text: string; usage: Required<Pick<Usage, 'inputTokens' | 'outputTokens'>> };

/**
 * What the stand-in replies to a request: the book's answer, and the usage a real chat model
 * would report for it, counted with tiktoken for the model it stands in for.
 */
export async function standInReply(
  request: TokenomicsRequest,
  book: AnswerBook,
  pricedAs: string,
): Promise<StandInReply> {
  const userTurns = request.messages
    .filter((message) => message.role === 'user')
    .map((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''));
  const text = book(userTurns);
  const usage = await estimateUsage({ ...request, model: pricedAs }, text);
  return { text, usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } };
}
