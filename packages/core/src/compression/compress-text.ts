import type { TraceStep } from '../trace/trace';
import { compressPieces } from './compress-pieces';
import type { CompressionOptions, CompressionStats } from './compression-options';
import { compressionTraceStep } from './compression-trace';
import { InvalidCompressionOptionsError } from './invalid-compression-options-error';
import { loadTokenCounter } from './token-count';

export type TextCompressionResult = CompressionStats & { text: string; trace: TraceStep };

export const DEFAULT_MIN_TOKENS = 500;

/**
 * Compresses plain text (retrieved documents, a pasted file, a few-shot prompt). The whole
 * text is compressible; code, JSON, tables, and sentences with identifiers the question names
 * are kept whole. Deterministic: the same text and options give the same output.
 */
export async function compressText(
  text: string,
  options: CompressionOptions = {},
): Promise<TextCompressionResult> {
  validateOptions(options);
  const started = performance.now();
  const countTokens = options.countTokens ?? (await loadTokenCounter());
  const tokensBefore = countTokens(text);
  if (tokensBefore < (options.minTokens ?? DEFAULT_MIN_TOKENS)) {
    return finish(text, tokensBefore, tokensBefore, [], 'short', started);
  }
  const budget =
    options.targetTokens ??
    (options.rate !== undefined ? Math.floor(tokensBefore * options.rate) : undefined);
  const { texts, methods } = await compressPieces({ texts: [text], budget, options, countTokens });
  const output = texts[0]!;
  return finish(output, tokensBefore, countTokens(output), methods, undefined, started);
}

function finish(
  text: string,
  tokensBefore: number,
  tokensAfter: number,
  methods: CompressionStats['methods'],
  skipped: CompressionStats['skipped'],
  started: number,
): TextCompressionResult {
  const stats: CompressionStats = {
    tokensBefore,
    tokensAfter,
    ratio: tokensAfter > 0 ? tokensBefore / tokensAfter : 1,
    methods,
    durationMs: performance.now() - started,
    ...(skipped ? { skipped } : {}),
  };
  return { ...stats, text, trace: compressionTraceStep(stats) };
}

export function validateOptions(options: CompressionOptions): void {
  if (options.rate !== undefined && !(options.rate > 0 && options.rate <= 1)) {
    throw new InvalidCompressionOptionsError(`rate must be in (0, 1], got ${options.rate}`);
  }
  if (options.targetTokens !== undefined && !(options.targetTokens >= 0)) {
    throw new InvalidCompressionOptionsError(
      `targetTokens must be a non-negative number, got ${options.targetTokens}`,
    );
  }
  if (options.pruneRate !== undefined && !(options.pruneRate > 0 && options.pruneRate <= 1)) {
    throw new InvalidCompressionOptionsError(`pruneRate must be in (0, 1], got ${options.pruneRate}`);
  }
}
