/**
 * Typed errors of the cache and its stores. Each has a stable `name` and a static
 * `isInstance` that works across copies of the package (bundled twice, ESM and CJS).
 */

import { TokenomicsError } from '../errors/tokenomics-error';

abstract class TokenomicsCacheError extends TokenomicsError {}

/** An optional package (better-sqlite3, usearch, onnxruntime-node) is needed but not installed. */
export class MissingOptionalDependencyError extends TokenomicsCacheError {
  override readonly name = 'MissingOptionalDependencyError';
  readonly packageName: string;
  readonly feature: string;

  constructor(options: { packageName: string; feature: string; cause?: unknown }) {
    super(
      `${options.feature} needs the optional package "${options.packageName}". Install it: pnpm add ${options.packageName} (or npm install ${options.packageName}).`,
      { cause: options.cause },
    );
    this.packageName = options.packageName;
    this.feature = options.feature;
  }

  static override isInstance(value: unknown): value is MissingOptionalDependencyError {
    return TokenomicsCacheError.hasName(value, 'MissingOptionalDependencyError');
  }
}

/** A cache store or vector index failed (closed, file unreadable, dimension mismatch). */
export class CacheStoreError extends TokenomicsCacheError {
  override readonly name = 'CacheStoreError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
  }

  static override isInstance(value: unknown): value is CacheStoreError {
    return TokenomicsCacheError.hasName(value, 'CacheStoreError');
  }
}
