import { TokenomicsError } from '@tokenomics/core';

const marker = Symbol.for('tokenomics.cli.DatasetError');

/** An input file the benchmark cannot read: missing, not JSON, or fields of the wrong shape. */
export class DatasetError extends TokenomicsError {
  override readonly name = 'DatasetError';
  readonly [marker] = true;

  static override isInstance(error: unknown): error is DatasetError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
