const MARKER = Symbol.for('tokenomics.error');

/** Thrown for a rate, budget or prune rate outside its range. */
export class InvalidCompressionOptionsError extends Error {
  override readonly name = 'InvalidCompressionOptionsError';
  readonly [MARKER] = true;

  static isInstance(error: unknown): error is InvalidCompressionOptionsError {
    return (
      typeof error === 'object' &&
      error !== null &&
      MARKER in error &&
      (error as { name?: unknown }).name === 'InvalidCompressionOptionsError'
    );
  }
}
