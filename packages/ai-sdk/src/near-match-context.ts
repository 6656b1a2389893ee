import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { type NearMatch, responseText } from '@tokenomics/core';

/** Similarity from which the cache middleware's engine returns a near match, unless set otherwise. */
export const DEFAULT_NEAR_MATCH_SIMILARITY = 0.8;

/**
 * The system message that hands a near match to the model: the earlier question and its answer,
 * marked as reference to use only when it answers the new question.
 */
export function nearMatchContextText(nearMatch: NearMatch): string {
  return [
    'A question asked earlier, similar to the next one, and the answer it got. Use it only if it also answers the next question; otherwise ignore it.',
    '<earlier-question>',
    nearMatch.query,
    '</earlier-question>',
    '<earlier-answer>',
    responseText(nearMatch.response),
    '</earlier-answer>',
  ].join('\n');
}

/** The call with the near-match context as a system message after the prompt's own system messages. */
export function withNearMatchContext(
  params: LanguageModelV4CallOptions,
  nearMatch: NearMatch,
): LanguageModelV4CallOptions {
  const firstOther = params.prompt.findIndex((message) => message.role !== 'system');
  const at = firstOther === -1 ? params.prompt.length : firstOther;
  const prompt = [...params.prompt];
  prompt.splice(at, 0, { role: 'system', content: nearMatchContextText(nearMatch) });
  return { ...params, prompt };
}
