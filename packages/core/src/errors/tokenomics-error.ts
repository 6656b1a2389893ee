const MARKER = Symbol.for('tokenomics.error');

/**
 * The base of every error Tokenomics throws, so a caller can catch them all:
 * `if (TokenomicsError.isInstance(error)) …`. Each subclass has a stable `name` and its own
 * `isInstance`. The checks read a registered symbol rather than the prototype chain, so they hold
 * across copies of the package (its ESM and CommonJS builds, two installed versions).
 */
export class TokenomicsError extends Error {
  readonly [MARKER] = true;

  static isInstance(value: unknown): value is TokenomicsError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }

  /** A Tokenomics error with this `name`: what a subclass's `isInstance` checks. */
  protected static hasName(value: unknown, name: string): boolean {
    return TokenomicsError.isInstance(value) && (value as Error).name === name;
  }
}
