import { responseText } from '../../cache/cached-response';
import type { TokenomicsRequest } from '../../request/request';
import { promptText } from '../features/lexical-features';
import type { AnswerScorer, ScoreInput, ScoreResult } from '../types';

export type JudgeInput = {
  prompt: string;
  answerText: string;
  request: TokenomicsRequest;
  answer: ScoreInput['answer'];
};

export type LlmJudgeScorerOptions = {
  /** Your judge: typically a call to a strong model asking for a 0..1 grade. */
  judge: (input: JudgeInput) => Promise<number>;
  /**
   * Share of answers judged (seeded by the router); the rest get no verdict. Default 1. A shadow
   * call's answer (made only to be graded) is always judged.
   */
  sampleShare?: number;
};

/** An LLM judge on a sampled share of answers, since judging every answer costs a strong call each. */
export function llmJudgeScorer(options: LlmJudgeScorerOptions): AnswerScorer {
  const share = options.sampleShare ?? 1;
  return {
    name: 'judge',
    async score(input: ScoreInput): Promise<ScoreResult | undefined> {
      if (share < 1 && !input.shadow && input.random() >= share) return undefined;
      const grade = await options.judge({
        prompt: promptText(input.request),
        answerText: responseText(input.answer),
        request: input.request,
        answer: input.answer,
      });
      return { scorer: 'judge', score: grade, reason: `judge grade ${grade}` };
    },
  };
}
