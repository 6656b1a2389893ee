import { responseText } from '../../cache/cached-response';
import type { AnswerScorer, ScoreInput, ScoreResult } from '../types';

export type AgreementScorerOptions = {
  /** Similarity of two answer texts, 0..1. Default: final numbers if both end in one, else word overlap. */
  similarity?: (first: string, second: string) => number;
};

/**
 * Self-consistency: asks the same tier for a second answer and scores their agreement. Two cheap
 * answers that agree are more likely right; the second call is charged to the run.
 */
export function agreementScorer(options: AgreementScorerOptions = {}): AnswerScorer {
  const similarity = options.similarity ?? answerSimilarity;
  return {
    name: 'agreement',
    async score({ answer, tier, callTier }: ScoreInput): Promise<ScoreResult | undefined> {
      if (!callTier) return undefined;
      const second = await callTier(tier, 'agreement');
      const score = similarity(responseText(answer), responseText(second));
      return { scorer: 'agreement', score, reason: `agreement ${score.toFixed(2)} with a second answer` };
    },
  };
}

const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;

/** Equal final numbers (1) or not (0) when both texts contain one; otherwise Jaccard overlap of words. */
export function answerSimilarity(first: string, second: string): number {
  const firstNumber = lastNumber(first);
  const secondNumber = lastNumber(second);
  if (firstNumber !== undefined && secondNumber !== undefined) return firstNumber === secondNumber ? 1 : 0;
  const firstWords = words(first);
  const secondWords = words(second);
  if (firstWords.size === 0 && secondWords.size === 0) return 1;
  let shared = 0;
  for (const word of firstWords) if (secondWords.has(word)) shared++;
  return shared / (firstWords.size + secondWords.size - shared);
}

function lastNumber(text: string): number | undefined {
  const matches = text.match(NUMBER);
  if (!matches || matches.length === 0) return undefined;
  const value = Number((matches[matches.length - 1] as string).replace(/,/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}
