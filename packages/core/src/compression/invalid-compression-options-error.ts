import { TokenomicsError } from '../errors/tokenomics-error';

/** Thrown for a rate, budget or prune rate outside its range. */
export class InvalidCompressionOptionsError extends TokenomicsError {
  override readonly name = 'InvalidCompressionOptionsError';

  static override isInstance(error: unknown): error is InvalidCompressionOptionsError {
    return TokenomicsError.hasName(error, 'InvalidCompressionOptionsError');
  }
}
