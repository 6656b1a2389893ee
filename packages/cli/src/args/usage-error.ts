import { TokenomicsError } from '@tokenomics/core';

const marker = Symbol.for('tokenomics.cli.UsageError');

/** A command line the CLI cannot run: unknown option, missing value, bad number. Exit code 2. */
export class UsageError extends TokenomicsError {
  override readonly name = 'UsageError';
  readonly [marker] = true;

  static override isInstance(error: unknown): error is UsageError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
