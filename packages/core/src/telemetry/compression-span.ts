import type { CompressionStats } from '../compression/compression-options';
import type { TokenomicsRequest } from '../request/request';
import { requestAttributes } from './cache-lookup-span';
import { SPAN_NAMES, TOKENOMICS } from './span-attributes';
import { StageTracer } from './stage-tracer';
import type { TelemetrySettings } from './telemetry-settings';

/**
 * Runs a compression in a `tokenomics.compression` span: tokens before and after, ratio, passes.
 * `statsOf` finds the stats in a result that is not itself the stats.
 */
export async function traceCompression<T>(
  settings: TelemetrySettings | undefined,
  request: Pick<TokenomicsRequest, 'model'>,
  compress: () => Promise<T>,
  statsOf: (result: T) => CompressionStats = (result) => result as CompressionStats,
): Promise<T> {
  const tracer = await StageTracer.for(settings);
  if (!tracer) return compress();
  return tracer.inSpan(
    SPAN_NAMES.compression,
    () => requestAttributes('compression', request.model),
    compress,
    (result) => {
      const stats = statsOf(result);
      return {
        [TOKENOMICS.compressionTokensBefore]: stats.tokensBefore,
        [TOKENOMICS.compressionTokensAfter]: stats.tokensAfter,
        [TOKENOMICS.compressionRatio]: stats.ratio,
        [TOKENOMICS.compressionMethods]: stats.methods,
        [TOKENOMICS.compressionSkipped]: stats.skipped,
      };
    },
  );
}
