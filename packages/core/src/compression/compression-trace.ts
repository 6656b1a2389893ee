import type { TraceStep } from '../trace/trace';
import type { CompressionStats } from './compression-options';

/** The decision trace entry of one compression: what ran and how many tokens it saved. */
export function compressionTraceStep(
  stats: CompressionStats,
  details: Record<string, unknown> = {},
): TraceStep {
  const changed = stats.tokensAfter !== stats.tokensBefore;
  return {
    stage: 'compression',
    decision: stats.skipped ? 'skip' : changed ? 'compress' : 'unchanged',
    ...(stats.skipped ? { reason: stats.skipped } : {}),
    details: {
      tokensBefore: stats.tokensBefore,
      tokensAfter: stats.tokensAfter,
      tokensSaved: stats.tokensBefore - stats.tokensAfter,
      ratio: Math.round(stats.ratio * 1000) / 1000,
      methods: stats.methods,
      ...(stats.shortfall
        ? {
            targetTokens: stats.shortfall.targetTokens,
            targetRatio:
              Math.round((stats.tokensBefore / Math.max(1, stats.shortfall.targetTokens)) * 1000) / 1000,
            shortfall: stats.shortfall.reason,
          }
        : {}),
      ...details,
    },
    durationMs: stats.durationMs,
  };
}
