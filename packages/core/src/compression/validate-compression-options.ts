import type { CompressionOptions } from './compression-options';
import { InvalidCompressionOptionsError } from './invalid-compression-options-error';

/**
 * Checks the options where they are given (the adapters call it in their constructors), so a
 * wrong `rate` fails at set-up with what to write instead, not on the first call.
 */
export function validateCompressionOptions(options: CompressionOptions): void {
  const { rate, targetTokens, pruneRate } = options;
  if (rate !== undefined && !(typeof rate === 'number' && rate > 0 && rate <= 1)) {
    const hint =
      typeof rate === 'number' && rate > 1
        ? ` For ${rate}× fewer tokens write rate: 1 / ${rate}.`
        : ' For 3× fewer tokens write rate: 1 / 3.';
    throw new InvalidCompressionOptionsError(
      `rate is the share of tokens to keep, above 0 and at most 1; got ${rate}.${hint}`,
    );
  }
  if (targetTokens !== undefined && !(typeof targetTokens === 'number' && targetTokens >= 0)) {
    throw new InvalidCompressionOptionsError(
      `targetTokens is a token budget for the whole output, 0 or more; got ${targetTokens}.`,
    );
  }
  if (pruneRate !== undefined && !(typeof pruneRate === 'number' && pruneRate > 0 && pruneRate <= 1)) {
    throw new InvalidCompressionOptionsError(
      `pruneRate is the share of selected tokens the pruner keeps, above 0 and at most 1; got ${pruneRate}. For example pruneRate: 0.7.`,
    );
  }
}
