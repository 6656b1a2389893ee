import { TokenomicsError } from '../errors/tokenomics-error';

/**
 * A live stream already passed on part of one tier's answer, so no other tier may answer the
 * call (a fallback or an escalation would splice two answers). The tier's own error is `cause`.
 */
export class StreamCommittedError extends TokenomicsError {
  override readonly name = 'StreamCommittedError';
  readonly tierId: string;

  constructor(tierId: string, cause?: unknown) {
    super(`Tier '${tierId}' already streamed part of the answer; no other tier can take over.`, { cause });
    this.tierId = tierId;
  }

  static override isInstance(value: unknown): value is StreamCommittedError {
    return TokenomicsError.hasName(value, 'StreamCommittedError');
  }
}
