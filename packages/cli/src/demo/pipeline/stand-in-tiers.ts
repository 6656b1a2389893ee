import { type AnswerBook, answerBook } from '../../stand-in';
import { type Workload, workloadAnswerTable } from '../workload';
import type { PipelineRequest } from './pipeline-workload';

/** What the stand-in tiers answer, and the user turns of the last call a tier really got. */
export type StandInTiers = {
  weak: AnswerBook;
  strong: AnswerBook;
  /** The user turns (after compression) of the last call a tier answered; cleared by the runner. */
  lastTurns: { value: readonly string[] | undefined };
  /** The answer a request's topic expects from a tier, to tell served answers apart. */
  answerOf(request: PipelineRequest, tier: 'weak' | 'strong'): string;
};

/**
 * Offline tiers: a routing question gets the recorded answer of the model the tier stands in for
 * (so routing quality is the recorded correctness of real models), a retrieval question the
 * document's answer, a support question the workload's fixed answer.
 */
export function standInTiers(workload: Workload, requests: readonly PipelineRequest[]): StandInTiers {
  const support = answerBook(workloadAnswerTable(workload));
  const recorded = new Map(
    requests.flatMap((request) =>
      request.recorded ? [[request.recorded.prompt.trim(), request.recorded] as const] : [],
    ),
  );
  const retrieval = new Map(
    requests.flatMap((request) =>
      request.kind === 'retrieval' ? [[questionOf(request), request] as const] : [],
    ),
  );
  const lastTurns: StandInTiers['lastTurns'] = { value: undefined };
  const answerOf = (request: PipelineRequest, tier: 'weak' | 'strong') => {
    if (request.recorded) return request.recorded[tier].text;
    if (request.kind === 'retrieval') return `From the documents: ${request.answerPassage}`;
    return workload.answers[request.topic] ?? '';
  };
  const book =
    (tier: 'weak' | 'strong'): AnswerBook =>
    (turns) => {
      lastTurns.value = turns;
      const question = turns.at(-1)?.trim() ?? '';
      const record = recorded.get(question);
      if (record) return record[tier].text;
      const asked = turns.length === 2 ? retrieval.get(question) : undefined;
      if (asked) return answerOf(asked, tier);
      return support(turns);
    };
  return { weak: book('weak'), strong: book('strong'), lastTurns, answerOf };
}

export function questionOf(request: PipelineRequest): string {
  return request.turns.at(-1)?.text.trim() ?? '';
}
