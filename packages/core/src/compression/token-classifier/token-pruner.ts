/**
 * Drops low-information tokens inside sentences the selection kept. Implemented by the
 * LLMLingua-2 style classifier; any other implementation (a remote service, a rule set) fits.
 */
export interface TokenPruner {
  /** Returns each text with about `rate` of its tokens kept, in order; numbers and identifiers stay. */
  prune(texts: string[], options: { rate: number }): Promise<string[]>;
}
