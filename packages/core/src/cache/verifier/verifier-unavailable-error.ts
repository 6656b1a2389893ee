import { TokenomicsError } from '../../errors/tokenomics-error';

const marker = Symbol.for('tokenomics.error.VerifierUnavailableError');

/**
 * The pair verifier could not start: `onnxruntime-node` is not installed, or the model file
 * is missing or was trained on other features. The cache then runs without the verifier
 * (guards and threshold only) or with the pure-TypeScript `LogisticPairVerifier`.
 */
export class VerifierUnavailableError extends TokenomicsError {
  override readonly name = 'VerifierUnavailableError';
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  static override isInstance(error: unknown): error is VerifierUnavailableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
