import { TokenomicsError } from '../../errors/tokenomics-error';

const marker = Symbol.for('tokenomics.core.RouterModelUnavailableError');

/**
 * A shipped router model (prior, answer scorer, output-length predictor) cannot be used: its files
 * are missing or were trained on other features, or `onnxruntime-node` is not installed (the
 * loaders then fall back to the TypeScript forward pass).
 */
export class RouterModelUnavailableError extends TokenomicsError {
  override readonly name = 'RouterModelUnavailableError';
  readonly [marker] = true;

  static override isInstance(error: unknown): error is RouterModelUnavailableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
