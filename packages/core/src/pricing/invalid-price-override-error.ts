import { TokenomicsError } from '../errors/tokenomics-error';

const marker = Symbol.for('tokenomics.error.InvalidPriceOverrideError');

/** A price override with a rate that is not a finite, non-negative number of dollars per million tokens. */
export class InvalidPriceOverrideError extends TokenomicsError {
  override readonly name = 'InvalidPriceOverrideError';
  readonly model: string;
  readonly [marker] = true;

  constructor(model: string, field: string, value: unknown) {
    super(
      `Price override for '${model}': ${field} must be a non-negative number of dollars per million tokens, got ${String(value)}`,
    );
    this.model = model;
  }

  static override isInstance(error: unknown): error is InvalidPriceOverrideError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
