import { responseText } from '../../cache/cached-response';
import type { AnswerScorer, ScoreInput, ScoreResult } from '../types';

const REFUSAL =
  /\b(?:I(?:'m| am) (?:sorry|afraid),? but I (?:can(?:'|no)t|cannot|won't|am unable)|I (?:can(?:'|no)t|cannot|won't|am unable to|am not able to) (?:help|assist|comply|provide|do that|answer)|as an AI(?: language model)?,? I (?:can(?:'|no)t|cannot|don't)|I must (?:decline|refuse))/i;
const HEDGES =
  /\b(?:I(?:'m| am) not (?:sure|certain)|I don't know|I do not know|not entirely sure|I(?: might| may) be wrong|hard to say|I cannot be certain|I can't be certain|unclear to me|it depends)\b/gi;

/** An answer with no text and no tool call scores 0. */
export function emptyAnswerScorer(): AnswerScorer {
  return {
    name: 'empty',
    score({ answer }: ScoreInput): ScoreResult {
      const hasToolCall = answer.content.some((part) => part.type === 'tool-call');
      const empty = !hasToolCall && responseText(answer).trim().length === 0;
      return empty ? { scorer: 'empty', score: 0, reason: 'empty answer' } : { scorer: 'empty', score: 1 };
    },
  };
}

/** A refusal ("I'm sorry, but I can't help with that") scores 0. */
export function refusalScorer(): AnswerScorer {
  return {
    name: 'refusal',
    score({ answer }: ScoreInput): ScoreResult {
      if (answer.finishReason === 'content-filter')
        return { scorer: 'refusal', score: 0, reason: 'content filter' };
      // Only the opening matters: a long answer that mentions a refusal later is not one.
      const opening = responseText(answer).slice(0, 400);
      return REFUSAL.test(opening)
        ? { scorer: 'refusal', score: 0, reason: 'refusal' }
        : { scorer: 'refusal', score: 1 };
    },
  };
}

/** Hedging ("I'm not sure", "I don't know") lowers the score: 0.5 for one hedge, 0.25 for more. */
export function hedgingScorer(): AnswerScorer {
  return {
    name: 'hedging',
    score({ answer }: ScoreInput): ScoreResult {
      const text = responseText(answer);
      HEDGES.lastIndex = 0;
      let hedges = 0;
      while (HEDGES.exec(text) !== null) hedges++;
      if (hedges === 0) return { scorer: 'hedging', score: 1 };
      return { scorer: 'hedging', score: hedges === 1 ? 0.5 : 0.25, reason: `${hedges} hedge(s)` };
    },
  };
}

/** An answer cut off by the token limit (finish reason 'length') or ended by an error scores 0.1. */
export function truncationScorer(): AnswerScorer {
  return {
    name: 'truncated',
    score({ answer }: ScoreInput): ScoreResult {
      if (answer.finishReason === 'length')
        return { scorer: 'truncated', score: 0.1, reason: 'finish reason length' };
      if (answer.finishReason === 'error')
        return { scorer: 'truncated', score: 0.1, reason: 'finish reason error' };
      return { scorer: 'truncated', score: 1 };
    },
  };
}

/** Empty, refusal, hedging and truncation checks: cheap, no model, always applicable. */
export function heuristicScorers(): AnswerScorer[] {
  return [emptyAnswerScorer(), refusalScorer(), hedgingScorer(), truncationScorer()];
}
