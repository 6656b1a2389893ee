import type { Workload, WorkloadRequest } from './workload';

export type ConversationTurn = { role: 'user' | 'assistant'; text: string };

/**
 * The turns a request sends after the system prompt: each earlier question with the answer the
 * workload records for it (the same words in every run and framework, so a repeated
 * conversation is an exact repeat), then the question.
 */
export function conversationTurns(workload: Workload, request: WorkloadRequest): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const question of request.history ?? []) {
    const earlier = workload.requests.find(
      (candidate) => candidate.question === question && !candidate.history,
    );
    turns.push({ role: 'user', text: question });
    turns.push({ role: 'assistant', text: earlier ? (workload.answers[earlier.topic] ?? '') : '' });
  }
  turns.push({ role: 'user', text: request.question });
  return turns;
}
