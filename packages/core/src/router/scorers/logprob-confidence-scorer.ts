import type { AnswerScorer, ScoreInput, ScoreResult, TierAnswer } from '../types';

export type LogprobConfidenceOptions = {
  /**
   * Confidence = geometric-mean token probability, rescaled so that `floor` maps to 0 and 1 to 1.
   * Default floor 0.5: an answer whose average token is a coin flip scores 0.
   */
  floor?: number;
};

/**
 * Token-logprob confidence, when the provider returned logprobs in `answer.metadata.logprobs`
 * (number[], `{ logprob }[]`, or `{ content: { logprob }[] }`). Says nothing otherwise.
 */
export function logprobConfidenceScorer(options: LogprobConfidenceOptions = {}): AnswerScorer {
  const floor = options.floor ?? 0.5;
  return {
    name: 'logprobs',
    score({ answer }: ScoreInput): ScoreResult | undefined {
      const logprobs = tokenLogprobs(answer);
      if (!logprobs || logprobs.length === 0) return undefined;
      let sum = 0;
      for (const value of logprobs) sum += value;
      const confidence = Math.exp(sum / logprobs.length);
      const score = Math.max(0, Math.min(1, (confidence - floor) / (1 - floor)));
      return { scorer: 'logprobs', score, reason: `mean token probability ${confidence.toFixed(3)}` };
    },
  };
}

/** The answer's token logprobs in the shapes providers use, or undefined. */
export function tokenLogprobs(answer: TierAnswer): number[] | undefined {
  let raw = answer.metadata?.logprobs;
  if (
    raw &&
    typeof raw === 'object' &&
    !Array.isArray(raw) &&
    Array.isArray((raw as { content?: unknown }).content)
  ) {
    raw = (raw as { content: unknown[] }).content;
  }
  if (!Array.isArray(raw)) return undefined;
  const values: number[] = [];
  for (const entry of raw) {
    const value = typeof entry === 'number' ? entry : (entry as { logprob?: unknown } | null)?.logprob;
    if (typeof value === 'number' && Number.isFinite(value)) values.push(value);
  }
  return values;
}
