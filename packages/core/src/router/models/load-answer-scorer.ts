import { join } from 'node:path';
import { forward } from '../../cache/verifier/verifier-model';
import { OnnxDenseRunner } from '../../util/onnx-dense-runner';
import { learnedScorer } from '../scorers/learned-scorer';
import type { AnswerQualityInput, AnswerQualityModel, AnswerScorer } from '../types';
import { ANSWER_FEATURE_NAMES, answerFeatures } from './answer-features';
import { type RouterModelMeta, readRouterModelMeta, shippedRouterModelFile } from './router-model-file';
import { RouterModelUnavailableError } from './router-model-unavailable-error';

export const ANSWER_SCORER_FORMAT = 'tokenomics-answer-scorer/1';

export type AnswerScorerMeta = RouterModelMeta & {
  format: typeof ANSWER_SCORER_FORMAT;
  /** What the probability means and what it was trained on. */
  target: string;
  /** Escalation threshold picked on held-out folds (escalate below it). */
  threshold: number;
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
 * Trained on a weak model's GSM8K answers: it knows math word problems best (see its model card).
 */
export async function loadAnswerQualityModel(
  options: AnswerModelOptions = {},
): Promise<AnswerQualityModel & { readonly threshold: number; close(): Promise<void> }> {
  const metaPath = options.folder
    ? join(options.folder, 'meta.json')
    : shippedRouterModelFile('answer-scorer', 'meta.json');
  const meta = readRouterModelMeta<AnswerScorerMeta>(metaPath, ANSWER_SCORER_FORMAT, ANSWER_FEATURE_NAMES);
  let runner: OnnxDenseRunner | undefined;
  if ((options.runtime ?? 'auto') !== 'typescript') {
    const onnxPath = options.folder
      ? join(options.folder, 'model.onnx')
      : shippedRouterModelFile('answer-scorer', 'model.onnx');
    try {
      runner = await OnnxDenseRunner.load(
        onnxPath,
        meta.features.length,
        (message, cause) => new RouterModelUnavailableError(message, { cause }),
        'install with: npm install onnxruntime-node (the TypeScript fallback needs nothing)',
      );
    } catch (error) {
      if (options.runtime === 'onnx' || !RouterModelUnavailableError.isInstance(error)) throw error;
    }
  }
  return {
    id: `tokenomics-answer-scorer/${runner ? 'onnx' : 'ts'}`,
    threshold: meta.threshold,
    async predict(input: AnswerQualityInput): Promise<number> {
      const features = answerFeatures(input.prompt, input.answerText);
      if (runner) return (await runner.run([features]))[0]!;
      return forward(meta, features);
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
