import type { Usage } from '../cache/cached-response';

/** One call's accounting: what was spent, and what the unoptimized baseline would have spent. */
export type LedgerRecord = {
  traceId: string;
  at: number;
  model: string;
  scope?: Record<string, string | undefined>;
  /** Which stage produced the saving ('cache', 'compression', 'router', or 'none'). */
  stage: string;
  spent: { usage: Usage; dollars: number };
  baseline: { usage: Usage; dollars: number };
  saved: { tokens: number; dollars: number };
};
