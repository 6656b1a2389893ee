import { TokenomicsError } from '../errors/tokenomics-error';

const marker = Symbol.for('tokenomics.error.InvalidLedgerEntryError');

/** A ledger entry that cannot be accounted: no trace id or model, or an unknown stage. */
export class InvalidLedgerEntryError extends TokenomicsError {
  override readonly name = 'InvalidLedgerEntryError';
  readonly [marker] = true;

  static override isInstance(error: unknown): error is InvalidLedgerEntryError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
