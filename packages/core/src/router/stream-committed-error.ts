const MARKER = Symbol.for('tokenomics.error');

/**
 * A live stream already passed on part of one tier's answer, so no other tier may answer the
 * call (a fallback or an escalation would splice two answers). The tier's own error is `cause`.
 */
export class StreamCommittedError extends Error {
  override readonly name = 'StreamCommittedError';
  readonly [MARKER] = true;
  readonly tierId: string;

  constructor(tierId: string, cause?: unknown) {
    super(`Tier '${tierId}' already streamed part of the answer; no other tier can take over.`, { cause });
    this.tierId = tierId;
  }

  static isInstance(value: unknown): value is StreamCommittedError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Error).name === 'StreamCommittedError' &&
      MARKER in value
    );
  }
}
