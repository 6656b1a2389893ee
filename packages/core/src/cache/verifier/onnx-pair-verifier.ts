import { dirname, join } from 'node:path';
import type { PairVerifier } from '../types';
import { PAIR_FEATURES, pairFeatures } from './pair-features';
import { readVerifierModel, shippedModelFile } from './shipped-model';
import { VerifierUnavailableError } from './verifier-unavailable-error';

type OrtTensor = { data: ArrayLike<number> };
type OrtSession = {
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
  release?(): Promise<void>;
};
type OrtModule = {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
};

/**
 * The learned pair verifier run by `onnxruntime-node` (imported on first load, so users who
 * never enable the verifier never load it). `meta.json` beside the model gives the threshold
 * and the feature list, which must match this version's features.
 */
export class OnnxPairVerifier implements PairVerifier {
  readonly id: string;

  private constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
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
    const ort = await importOnnxRuntime();
    let session: OrtSession;
    try {
      // One thread: a batch of a few candidates is microseconds of work; thread pools only add overhead.
      session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    } catch (cause) {
      throw new VerifierUnavailableError(`cannot load verifier model ${modelPath}`, { cause });
    }
    return new OnnxPairVerifier(ort, session, options.threshold ?? model.threshold, model.embedder);
  }

  async score(pairs: Array<{ stored: string; query: string; similarity: number }>): Promise<number[]> {
    if (pairs.length === 0) return [];
    const width = PAIR_FEATURES.length;
    const data = new Float32Array(pairs.length * width);
    pairs.forEach((pair, index) => {
      data.set(pairFeatures(pair.stored, pair.query, pair.similarity), index * width);
    });
    const outputs = await this.session.run({
      features: new this.ort.Tensor('float32', data, [pairs.length, width]),
    });
    const probability = outputs.probability;
    if (!probability) throw new VerifierUnavailableError('verifier model has no "probability" output');
    return Array.from(probability.data, Number);
  }

  /** Frees the native session. */
  async close(): Promise<void> {
    await this.session.release?.();
  }
}

async function importOnnxRuntime(): Promise<OrtModule> {
  try {
    const imported = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return imported.InferenceSession ? imported : imported.default!;
  } catch (cause) {
    throw new VerifierUnavailableError(
      'the ONNX pair verifier needs onnxruntime-node; install with: npm install onnxruntime-node (or use LogisticPairVerifier)',
      { cause },
    );
  }
}
