const MARKER = Symbol.for('tokenomics.error');

/** A token-classifier model folder is missing a file, or holds a model or tokenizer it cannot run. */
export class ClassifierModelError extends Error {
  override readonly name = 'ClassifierModelError';
  readonly [MARKER] = true;

  static isInstance(error: unknown): error is ClassifierModelError {
    return (
      typeof error === 'object' &&
      error !== null &&
      MARKER in error &&
      (error as { name?: unknown }).name === 'ClassifierModelError'
    );
  }
}
