import type { Tiktoken } from 'js-tiktoken/lite';
import { encodingForModel, type TokenEncoding } from './encoding-for-model';

export type TokenCounter = {
  encoding: TokenEncoding;
  /**
   * Tokens in `text`. Special-token markers such as `<|endoftext|>` count as plain text. Exact,
   * except for pre-tokenizer pieces longer than 64 characters (a long run of letters, a blob),
   * which are counted in 16-character chunks: tiktoken's merge is quadratic in the length of a
   * piece (a 20,000-letter piece took over a minute), and a counter must never stall a call.
   */
  count(text: string): number;
};

/**
 * A counter for a model's encoding (see `encodingForModel`). The rank file (1-2 MB) is imported
 * on first use and the encoder is built once per encoding per process, so later calls are cheap.
 */
export async function getTokenCounter(model?: string): Promise<TokenCounter> {
  const encoding = encodingForModel(model);
  const encoder = await loadEncoder(encoding);
  return {
    encoding,
    count: (text) => countWithEncoder(encoder, text),
  };
}

/** Tokens in `text` for `model`'s encoding (cl100k_base when no model is given). */
export async function countTokens(text: string, model?: string): Promise<number> {
  return (await getTokenCounter(model)).count(text);
}

// Pieces are what tiktoken's pre-tokenizer cuts text into; BPE never merges across them.
const LONG_PIECE = 64;
const LONG_PIECE_CHUNK = 16;
const MAY_HAVE_LONG_PIECE = new RegExp(`\\S{${LONG_PIECE + 1},}`);

type Encoder = { tiktoken: Tiktoken; pieces: RegExp };

function countWithEncoder(encoder: Encoder, text: string): number {
  // Almost all text has no long piece: one encode call, exact.
  if (!MAY_HAVE_LONG_PIECE.test(text)) return encodedLength(encoder.tiktoken, text);
  let total = 0;
  let pending = 0;
  for (const piece of text.matchAll(encoder.pieces)) {
    if (piece[0].length <= LONG_PIECE) continue;
    total += encodedLength(encoder.tiktoken, text.slice(pending, piece.index));
    for (let start = 0; start < piece[0].length; start += LONG_PIECE_CHUNK) {
      total += encodedLength(encoder.tiktoken, piece[0].slice(start, start + LONG_PIECE_CHUNK));
    }
    pending = piece.index + piece[0].length;
  }
  return total + encodedLength(encoder.tiktoken, text.slice(pending));
}

function encodedLength(encoder: Tiktoken, text: string): number {
  // Empty allowed and disallowed lists: user text that happens to contain a special-token marker
  // is counted as ordinary text instead of throwing.
  return text.length === 0 ? 0 : encoder.encode(text, [], []).length;
}

const encoders = new Map<TokenEncoding, Promise<Encoder>>();

function loadEncoder(encoding: TokenEncoding): Promise<Encoder> {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    encoder = createEncoder(encoding);
    encoders.set(encoding, encoder);
    // A failed load is not kept, so a later call can retry.
    encoder.catch(() => encoders.delete(encoding));
  }
  return encoder;
}

async function createEncoder(encoding: TokenEncoding): Promise<Encoder> {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks =
    encoding === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  return { tiktoken: new Tiktoken(ranks), pieces: new RegExp(ranks.pat_str, 'gu') };
}
