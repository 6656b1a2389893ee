import type { TraceStep } from '../trace/trace';
import { compressPieces } from './compress-pieces';
import type { CompressionOptions, CompressionStats } from './compression-options';
import { compressionTraceStep } from './compression-trace';
import { findContextSpans } from './prompt-layout';
import { planText, type TextPlan } from './text-plan';
import { loadTokenCounter } from './token-count';
import { validateCompressionOptions } from './validate-compression-options';

export type TextCompressionResult = CompressionStats & { text: string; trace: TraceStep };

export const DEFAULT_MIN_TOKENS = 500;

/**
 * Compresses plain text (retrieved documents, a pasted file, a few-shot prompt). The whole text
 * is compressible, except the question of a retrieval or few-shot prompt (found when no
 * `question` is given), which is kept byte for byte and ranked against. Code, JSON, tables and
 * demonstrations are kept whole or dropped whole. Deterministic.
 */
export async function compressText(
  text: string,
  options: CompressionOptions = {},
): Promise<TextCompressionResult> {
  validateCompressionOptions(options);
  const started = performance.now();
  const countTokens = options.countTokens ?? (await loadTokenCounter());
  const tokensBefore = countTokens(text);
  if (tokensBefore < (options.minTokens ?? DEFAULT_MIN_TOKENS)) {
    return finish(text, { tokensBefore, tokensAfter: tokensBefore, methods: [], skipped: 'short' }, started);
  }
  const plan = planTextInput(text, options.question);
  const fixedTokens = plan.parts
    .filter((part) => !part.compress)
    .reduce((sum, part) => sum + countTokens(part.text), 0);
  const target = targetTokens(tokensBefore, options);
  const budget = target === undefined ? undefined : Math.max(0, target - fixedTokens);
  const pieces = plan.parts.filter((part) => part.compress).map((part) => part.text);
  const question = options.question ?? plan.question;
  const output = await compressPieces({
    texts: pieces,
    budget,
    options: question === undefined ? options : { ...options, question },
    countTokens,
    // Beside a kept question, the context may be dropped whole.
    keepOne: pieces.map(() => plan.parts.every((part) => part.compress)),
  });
  let next = 0;
  const joined = plan.parts.map((part) => (part.compress ? output.texts[next++]! : part.text)).join('');
  const tokensAfter = countTokens(joined);
  const shortfall =
    target !== undefined && tokensAfter > target
      ? { targetTokens: target, reason: output.shortfall ?? 'whole-units' }
      : undefined;
  return finish(
    joined,
    { tokensBefore, tokensAfter, methods: output.methods, ...(shortfall ? { shortfall } : {}) },
    started,
  );
}

/** The whole-output token target: `targetTokens`, or `rate` of the tokens before. */
export function targetTokens(tokensBefore: number, options: CompressionOptions): number | undefined {
  if (options.targetTokens !== undefined) return options.targetTokens;
  return options.rate !== undefined ? Math.floor(tokensBefore * options.rate) : undefined;
}

/** A retrieval or few-shot prompt keeps its question; any other text is compressible whole. */
function planTextInput(text: string, question: string | undefined): TextPlan {
  if (question !== undefined || findContextSpans(text).length === 0) {
    return { parts: [{ text, compress: true }] };
  }
  const plan = planText(text, 'question');
  // Without a question found, the text is the context: nothing to protect.
  return plan.question === undefined ? { parts: [{ text, compress: true }] } : plan;
}

function finish(
  text: string,
  stats: Omit<CompressionStats, 'ratio' | 'durationMs'>,
  started: number,
): TextCompressionResult {
  const full: CompressionStats = {
    ...stats,
    ratio: stats.tokensAfter > 0 ? stats.tokensBefore / stats.tokensAfter : 1,
    durationMs: performance.now() - started,
  };
  return { ...full, text, trace: compressionTraceStep(full) };
}
