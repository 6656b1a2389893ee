const MARKER = Symbol.for('tokenomics.error');

/** Thrown for a token budget that cannot be planned (below 2 tokens, a quantile outside (0, 1)). */
export class InvalidTokenBudgetError extends Error {
  override readonly name = 'InvalidTokenBudgetError';
  readonly [MARKER] = true;

  static isInstance(error: unknown): error is InvalidTokenBudgetError {
    return (
      typeof error === 'object' &&
      error !== null &&
      MARKER in error &&
      (error as { name?: unknown }).name === 'InvalidTokenBudgetError'
    );
  }
}
