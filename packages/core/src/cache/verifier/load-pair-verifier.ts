import { join } from 'node:path';
import type { PairVerifier } from '../types';
import { LogisticPairVerifier } from './logistic-pair-verifier';
import { OnnxPairVerifier } from './onnx-pair-verifier';
import { VerifierUnavailableError } from './verifier-unavailable-error';

/**
 * The shipped verifier (or the one in `folder`, e.g. retrained by `tokenomics train`), run by
 * onnxruntime-node when it is installed and by the equivalent TypeScript forward pass otherwise.
 * Throws `VerifierUnavailableError` only when the model files themselves are missing or stale;
 * callers then run without a verifier.
 */
export async function loadPairVerifier(
  options: { threshold?: number; preferOnnx?: boolean; folder?: string } = {},
): Promise<PairVerifier> {
  const file = (name: string) => (options.folder ? join(options.folder, name) : undefined);
  if (options.preferOnnx !== false) {
    try {
      return await OnnxPairVerifier.load(file('model.onnx'), { threshold: options.threshold });
    } catch (error) {
      if (!VerifierUnavailableError.isInstance(error)) throw error;
    }
  }
  return LogisticPairVerifier.load(file('meta.json'), { threshold: options.threshold });
}
