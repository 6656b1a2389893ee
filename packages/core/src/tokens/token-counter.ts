import type { Tiktoken } from 'js-tiktoken/lite';
import { encodingForModel, type TokenEncoding } from './encoding-for-model';

export type TokenCounter = {
  encoding: TokenEncoding;
  /**
   * Tokens in `text`. Special-token markers such as `<|endoftext|>` count as plain text. Exact,
   * except inside unbroken runs of more than 64 non-space characters (base64, minified blobs),
   * which are counted in 16-character chunks: tiktoken's merge is quadratic in the length of a
   * piece (a 20,000-letter run took over a minute), and a counter must never stall a call.
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

const LONG_RUN = /\S{65,}/g;
const LONG_RUN_CHUNK = 16;

function countWithEncoder(encoder: Tiktoken, text: string): number {
  let total = 0;
  let position = 0;
  for (const run of text.matchAll(LONG_RUN)) {
    total += encodedLength(encoder, text.slice(position, run.index));
    for (let start = 0; start < run[0].length; start += LONG_RUN_CHUNK) {
      total += encodedLength(encoder, run[0].slice(start, start + LONG_RUN_CHUNK));
    }
    position = run.index + run[0].length;
  }
  return total + encodedLength(encoder, text.slice(position));
}

function encodedLength(encoder: Tiktoken, text: string): number {
  // Empty allowed and disallowed lists: user text that happens to contain a special-token marker
  // is counted as ordinary text instead of throwing.
  return text.length === 0 ? 0 : encoder.encode(text, [], []).length;
}

/** Tokens in `text` for `model`'s encoding (cl100k_base when no model is given). */
export async function countTokens(text: string, model?: string): Promise<number> {
  return (await getTokenCounter(model)).count(text);
}

const encoders = new Map<TokenEncoding, Promise<Tiktoken>>();

function loadEncoder(encoding: TokenEncoding): Promise<Tiktoken> {
  let encoder = encoders.get(encoding);
  if (!encoder) {
    encoder = createEncoder(encoding);
    encoders.set(encoding, encoder);
    // A failed load is not kept, so a later call can retry.
    encoder.catch(() => encoders.delete(encoding));
  }
  return encoder;
}

async function createEncoder(encoding: TokenEncoding): Promise<Tiktoken> {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks =
    encoding === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default;
  return new Tiktoken(ranks);
}
