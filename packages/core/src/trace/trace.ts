/**
 * A decision trace: what each stage saw, decided and why, for one call. Exposed through
 * LangChain callbacks / response metadata and AI SDK `providerMetadata.tokenomics`.
 */
export type DecisionTrace = {
  id: string;
  startedAt: number;
  request: { model: string; messages: number; scope?: Record<string, string | undefined> };
  steps: TraceStep[];
};

export type TraceStep = {
  stage: 'cache' | 'compression' | 'router' | 'cascade' | 'model' | 'ledger' | (string & {});
  /** e.g. 'hit', 'miss', 'bypass', 'store', 'skip-store', 'error'. */
  decision: string;
  reason?: string;
  /** Small, JSON-safe facts: similarity, threshold, guard results, key prefixes. */
  details?: Record<string, unknown>;
  durationMs?: number;
};
