/**
 * Typed errors of the router. Each has a stable `name` and a static `isInstance` that works
 * across copies of the package (bundled twice, ESM and CJS).
 */

import { TokenomicsError } from '../errors/tokenomics-error';

abstract class TokenomicsRouterError extends TokenomicsError {}

/** The router was configured wrongly (fewer than two tiers, duplicate ids, a threshold out of range). */
export class InvalidRouterOptionsError extends TokenomicsRouterError {
  override readonly name = 'InvalidRouterOptionsError';

  static override isInstance(value: unknown): value is InvalidRouterOptionsError {
    return TokenomicsRouterError.hasName(value, 'InvalidRouterOptionsError');
  }
}

/** Every tier the run tried threw; `errors` holds each tier's error in the order they were tried. */
export class AllTiersFailedError extends TokenomicsRouterError {
  override readonly name = 'AllTiersFailedError';
  readonly errors: Array<{ tierId: string; error: unknown }>;

  constructor(errors: Array<{ tierId: string; error: unknown }>) {
    super(
      `Every tier failed: ${errors.map((entry) => `${entry.tierId}: ${errorMessage(entry.error)}`).join('; ')}`,
      { cause: errors.at(-1)?.error },
    );
    this.errors = errors;
  }

  static override isInstance(value: unknown): value is AllTiersFailedError {
    return TokenomicsRouterError.hasName(value, 'AllTiersFailedError');
  }
}

/** The bandit state store failed (closed, file unreadable). */
export class BanditStateStoreError extends TokenomicsRouterError {
  override readonly name = 'BanditStateStoreError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }

  static override isInstance(value: unknown): value is BanditStateStoreError {
    return TokenomicsRouterError.hasName(value, 'BanditStateStoreError');
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function errorSummary(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
