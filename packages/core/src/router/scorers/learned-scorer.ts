import { responseText } from '../../cache/cached-response';
import { promptText } from '../features/lexical-features';
import type { AnswerQualityInput, AnswerQualityModel, AnswerScorer, ScoreInput, ScoreResult } from '../types';
import { tokenLogprobs } from './logprob-confidence-scorer';

/**
 * A learned model's probability that the answer is correct (e.g. the shipped ONNX answer scorer).
 * Abstains on an answer the model says it does not cover.
 */
export function learnedScorer(model: AnswerQualityModel): AnswerScorer {
  return {
    name: `learned:${model.id}`,
    async score({ request, answer, features }: ScoreInput): Promise<ScoreResult | undefined> {
      const input: AnswerQualityInput = {
        prompt: features?.text ?? promptText(request),
        answerText: responseText(answer),
        finishReason: answer.finishReason,
        usage: answer.usage,
      };
      const logprobs = tokenLogprobs(answer);
      if (logprobs && logprobs.length > 0) input.logprobs = logprobs;
      if (features) input.features = features;
      if (model.covers && !model.covers(input)) return undefined;
      const probability = await model.predict(input);
      return {
        scorer: `learned:${model.id}`,
        score: probability,
        reason: `P(correct) ${probability.toFixed(3)}`,
      };
    },
  };
}

/**
 * Your own check as a scorer: return a quality 0..1, or undefined to abstain. E.g. run the unit
 * tests a generated function must pass.
 */
export function functionScorer(
  name: string,
  score: (input: ScoreInput) => number | undefined | Promise<number | undefined>,
): AnswerScorer {
  return {
    name,
    async score(input: ScoreInput): Promise<ScoreResult | undefined> {
      const value = await score(input);
      return value === undefined ? undefined : { scorer: name, score: value };
    },
  };
}
