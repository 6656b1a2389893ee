import { TokenomicsError } from '../errors/tokenomics-error';

const marker = Symbol.for('tokenomics.error.EmbedderUnavailableError');

/**
 * An embedder could not start because an optional package is not installed (or failed to load).
 * The message names the packages to install, so the fix is one command away.
 */
export class EmbedderUnavailableError extends TokenomicsError {
  override readonly name = 'EmbedderUnavailableError';
  readonly packages: readonly string[];
  readonly [marker] = true;

  constructor(options: { packages: readonly string[]; embedder: string; cause?: unknown }) {
    super(
      `${options.embedder} needs ${options.packages.join(' and ')}; install with: npm install ${options.packages.join(' ')}`,
      { cause: options.cause },
    );
    this.packages = options.packages;
  }

  static override isInstance(error: unknown): error is EmbedderUnavailableError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
