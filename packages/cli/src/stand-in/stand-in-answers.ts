import { estimateUsage, type TokenomicsRequest, type Usage } from '@tokenomics/core';

/** The label every line of offline output carries. */
export const OFFLINE_LABEL = '[offline stand-in]';

/** Gives the stand-in's fixed answer to the last user question of a conversation. */
export type AnswerBook = (question: string) => string;

/** An answer book from a question → answer table; unknown questions get a recognizable generic answer. */
export function answerBook(answers: ReadonlyMap<string, string>): AnswerBook {
  return (question) => answers.get(question.trim()) ?? `Offline stand-in answer to: ${question.trim()}`;
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
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const question = lastUser?.content.map((part) => (part.type === 'text' ? part.text : '')).join('') ?? '';
  const text = book(question);
  const usage = await estimateUsage({ ...request, model: pricedAs }, text);
  return { text, usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } };
}
