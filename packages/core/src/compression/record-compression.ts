import type { CostLedger } from '../ledger/cost-ledger';
import type { Scope } from '../request/request';

export type CompressionRecord = {
  /** Default: a fresh UUID. */
  traceId?: string | undefined;
  /** The model the compressed request goes to (provider-qualified, as the ledger prices it). */
  model: string;
  tokensBefore: number;
  tokensAfter: number;
  scope?: Scope | undefined;
  /** The answer was cut at its output limit (a token budget too tight). */
  truncated?: boolean;
};

/**
 * Records one compression in the ledger: the input tokens before as the baseline, after as
 * spent, stage 'compression'. Adapters call it once per call, after every part they compress
 * (tool results included).
 */
export function recordCompression(ledger: Pick<CostLedger, 'record'>, record: CompressionRecord): void {
  ledger.record({
    traceId: record.traceId ?? crypto.randomUUID(),
    model: record.model,
    stage: 'compression',
    spent: { inputTokens: record.tokensAfter },
    baseline: { inputTokens: record.tokensBefore },
    ...(record.scope ? { scope: record.scope } : {}),
    ...(record.truncated ? { truncated: true } : {}),
  });
}
