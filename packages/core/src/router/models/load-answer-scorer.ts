import { forward } from '../../cache/verifier/verifier-model';
import { learnedScorer } from '../scorers/learned-scorer';
import type { AnswerQualityInput, AnswerQualityModel, AnswerScorer } from '../types';
import { ANSWER_FEATURE_NAMES, answerFeatures } from './answer-features';
import { coverageDistance, type PriorCoverage } from './prior-coverage';
import {
  loadRouterModelRunner,
  type RouterModelMeta,
  readRouterModelMeta,
  routerModelFile,
} from './router-model-file';

export const ANSWER_SCORER_FORMAT = 'tokenomics-answer-scorer/1';

export type AnswerScorerMeta = RouterModelMeta & {
  format: typeof ANSWER_SCORER_FORMAT;
  /** What the probability means and what it was trained on. */
  target: string;
  /** Escalation threshold picked on held-out folds (escalate below it). */
  threshold: number;
  /** Where the training answers lie (standardized answer features): outside, the scorer abstains. */
  coverage?: PriorCoverage;
};

export type AnswerModelOptions = {
  /** Folder holding `meta.json` (and `model.onnx`); default the one shipped with the package. */
  folder?: string;
  /** 'auto' (default) uses onnxruntime-node when installed, else the TypeScript forward pass. */
  runtime?: 'auto' | 'onnx' | 'typescript';
};

/**
 * The shipped answer scorer: P(an answer is correct) from its text (final answer and its form,
 * whether the shown arithmetic checks out, hedging, self-correction, refusal, truncation, lengths).
 * Trained on a weak model's GSM8K, ARC-Challenge and MBPP answers (see its model card); `covers`
 * is false for an answer unlike all of them, and the cascade scorer then abstains.
 */
export async function loadAnswerQualityModel(
  options: AnswerModelOptions = {},
): Promise<AnswerQualityModel & { readonly threshold: number; close(): Promise<void> }> {
  const metaPath = routerModelFile('answer-scorer', options.folder, 'meta.json');
  const meta = readRouterModelMeta<AnswerScorerMeta>(metaPath, ANSWER_SCORER_FORMAT, ANSWER_FEATURE_NAMES);
  const runner = await loadRouterModelRunner(
    'answer-scorer',
    options.folder,
    meta.features.length,
    options.runtime,
  );
  return {
    id: `tokenomics-answer-scorer/${runner ? 'onnx' : 'ts'}`,
    threshold: meta.threshold,
    async predict(input: AnswerQualityInput): Promise<number> {
      const features = answerFeatures(input.prompt, input.answerText);
      if (runner) return (await runner.run([features]))[0]!;
      return forward(meta, features);
    },
    covers(input: AnswerQualityInput): boolean {
      if (!meta.coverage) return true;
      const distance = coverageDistance(meta.coverage, answerFeatures(input.prompt, input.answerText));
      return distance <= meta.coverage.maxDistance;
    },
    close: async () => {
      await runner?.close();
    },
  };
}

/** The shipped answer scorer as a cascade scorer (`cascade({ scorers: [await loadAnswerScorer()] })`). */
export async function loadAnswerScorer(options: AnswerModelOptions = {}): Promise<AnswerScorer> {
  return learnedScorer(await loadAnswerQualityModel(options));
}
