import type { PairVerifier } from '../types';
import { pairFeatures } from './pair-features';
import { readVerifierModel } from './shipped-model';
import { forward, type VerifierModel } from './verifier-model';

/**
 * The shipped verifier computed in plain TypeScript from `meta.json`: the same network as the
 * ONNX model, with no native dependency. Used when `onnxruntime-node` is not installed.
 */
export class LogisticPairVerifier implements PairVerifier {
  readonly id: string;
  readonly threshold: number;

  constructor(
    private readonly model: VerifierModel,
    options: { threshold?: number } = {},
  ) {
    this.threshold = options.threshold ?? model.threshold;
    this.id = `tokenomics-pair-verifier/ts/${model.embedder}`;
  }

  /** Loads `meta.json` (default: the one shipped with the package). */
  static load(path?: string, options: { threshold?: number } = {}): LogisticPairVerifier {
    return new LogisticPairVerifier(readVerifierModel(path), options);
  }

  async score(pairs: Array<{ stored: string; query: string; similarity: number }>): Promise<number[]> {
    return pairs.map((pair) => forward(this.model, pairFeatures(pair.stored, pair.query, pair.similarity)));
  }
}
