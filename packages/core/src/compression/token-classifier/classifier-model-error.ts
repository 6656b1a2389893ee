import { TokenomicsError } from '../../errors/tokenomics-error';

/** A token-classifier model folder is missing a file, or holds a model or tokenizer it cannot run. */
export class ClassifierModelError extends TokenomicsError {
  override readonly name = 'ClassifierModelError';

  static override isInstance(error: unknown): error is ClassifierModelError {
    return TokenomicsError.hasName(error, 'ClassifierModelError');
  }
}
