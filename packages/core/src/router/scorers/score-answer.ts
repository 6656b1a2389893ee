import type { AnswerScorer, ScoreInput, ScoreResult } from '../types';

export type ScoreCombination = 'min' | 'mean';

export type CombinedScore = {
  /** Undefined when no scorer had anything to say. */
  score?: number;
  scores: ScoreResult[];
  /** Scorers that threw: they count as having nothing to say. */
  errors: Array<{ scorer: string; message: string }>;
};

/**
 * Runs scorers in order and combines their verdicts. 'min' (default) lets any one failed check
 * (a refusal, invalid JSON) sink the answer; 'mean' averages soft signals. A scorer that throws
 * is recorded and skipped: a broken check must not fail the call.
 */
export async function scoreAnswer(
  scorers: readonly AnswerScorer[],
  input: ScoreInput,
  combination: ScoreCombination = 'min',
): Promise<CombinedScore> {
  const scores: ScoreResult[] = [];
  const errors: CombinedScore['errors'] = [];
  for (const scorer of scorers) {
    try {
      const result = await scorer.score(input);
      if (result && Number.isFinite(result.score)) {
        scores.push({ ...result, score: Math.min(1, Math.max(0, result.score)) });
      }
    } catch (error) {
      errors.push({ scorer: scorer.name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const combined: CombinedScore = { scores, errors };
  if (scores.length > 0) {
    combined.score =
      combination === 'min'
        ? Math.min(...scores.map((result) => result.score))
        : scores.reduce((sum, result) => sum + result.score, 0) / scores.length;
  }
  return combined;
}
