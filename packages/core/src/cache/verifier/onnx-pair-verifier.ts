import { dirname, join } from 'node:path';
import { OnnxDenseRunner } from '../../util/onnx-dense-runner';
import type { PairVerifier } from '../types';
import { PAIR_FEATURES, pairFeatures } from './pair-features';
import { readVerifierModel, shippedModelFile } from './shipped-model';
import { VerifierUnavailableError } from './verifier-unavailable-error';

/**
 * The learned pair verifier run by `onnxruntime-node` (imported on first load, so users who
 * never enable the verifier never load it). `meta.json` beside the model gives the threshold
 * and the feature list, which must match this version's features.
 */
export class OnnxPairVerifier implements PairVerifier {
  readonly id: string;

  private constructor(
    private readonly runner: OnnxDenseRunner,
    readonly threshold: number,
    embedder: string,
  ) {
    this.id = `tokenomics-pair-verifier/onnx/${embedder}`;
  }

  /**
   * Loads a model (default: the one shipped with `@tokenomics/core`). Throws
   * `VerifierUnavailableError` when `onnxruntime-node` or the model is missing.
   */
  static async load(path?: string, options: { threshold?: number } = {}): Promise<OnnxPairVerifier> {
    const modelPath = path ?? shippedModelFile('model.onnx');
    const model = readVerifierModel(join(dirname(modelPath), 'meta.json'));
    const runner = await OnnxDenseRunner.load(
      modelPath,
      PAIR_FEATURES.length,
      (message, cause) => new VerifierUnavailableError(message, { cause }),
      'install with: npm install onnxruntime-node (or use LogisticPairVerifier)',
    );
    return new OnnxPairVerifier(runner, options.threshold ?? model.threshold, model.embedder);
  }

  async score(pairs: Array<{ stored: string; query: string; similarity: number }>): Promise<number[]> {
    return this.runner.run(pairs.map((pair) => pairFeatures(pair.stored, pair.query, pair.similarity)));
  }

  /** Frees the native session. */
  async close(): Promise<void> {
    await this.runner.close();
  }
}
