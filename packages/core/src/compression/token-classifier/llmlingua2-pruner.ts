/**
 * Loads an LLMLingua-2 style token classifier (an ONNX export of a token-classification model,
 * label 1 = keep) and its Unigram `tokenizer.json` from a local folder, and prunes text with it.
 * onnxruntime-node is loaded on first use; it is an optional dependency of core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingOptionalDependencyError } from '../../cache/errors';
import { isAtomWord } from '../protected-patterns';
import { loadTokenCounter } from '../token-count';
import { ClassifierModelError } from './classifier-model-error';
import { tokenizeWithForceTokens } from './force-token-split';
import { type ClassifiedToken, compressClassifiedTokens } from './llmlingua2';
import type { TokenPruner } from './token-pruner';
import { UnigramTokenizer, type UnigramTokenizerJson } from './unigram-tokenizer';

export type Llmlingua2PrunerOptions = {
  /** Folder with `model.onnx` (or `onnx/model.onnx`) and `tokenizer.json`. */
  modelPath: string;
  /** Always kept. Default: line breaks and sentence-ending punctuation. */
  forceTokens?: string[];
  /** Keeps every word with a digit. Default true: numbers are protected content. */
  forceReserveDigit?: boolean;
  /** Drops a repeated force token with nothing kept between. Default false. */
  dropConsecutive?: boolean;
  /** Longest classifier input, special tokens included. Default 512. */
  maxSequenceLength?: number;
  /** The target model's token counter. Default cl100k_base. */
  countTokens?: (text: string) => number;
};

export const DEFAULT_FORCE_TOKENS = ['\n', '.', '!', '?'];

type OrtModule = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

export type Llmlingua2Pruner = TokenPruner & {
  /** Keep-probabilities of each classifier token of `text`. */
  classify(text: string): Promise<ClassifiedToken[]>;
  /** One text pruned to about `rate` of its target-model tokens. */
  compress(text: string, options: { rate: number }): Promise<string>;
};

export async function loadLlmlingua2Pruner(options: Llmlingua2PrunerOptions): Promise<Llmlingua2Pruner> {
  const modelFile = [
    join(options.modelPath, 'model.onnx'),
    join(options.modelPath, 'onnx', 'model.onnx'),
  ].find((file) => existsSync(file));
  const tokenizerFile = join(options.modelPath, 'tokenizer.json');
  if (!modelFile) throw new ClassifierModelError(`No model.onnx in ${options.modelPath}`);
  if (!existsSync(tokenizerFile)) throw new ClassifierModelError(`No tokenizer.json in ${options.modelPath}`);
  const tokenizer = new UnigramTokenizer(
    JSON.parse(readFileSync(tokenizerFile, 'utf8')) as UnigramTokenizerJson,
  );

  let ort: OrtModule;
  try {
    ort = await import('onnxruntime-node');
  } catch (cause) {
    throw new MissingOptionalDependencyError({
      packageName: 'onnxruntime-node',
      feature: 'Token pruning with an LLMLingua-2 model',
      cause,
    });
  }
  let session: Session;
  try {
    session = await ort.InferenceSession.create(modelFile);
  } catch (cause) {
    throw new ClassifierModelError(`Cannot load ${modelFile}: ${(cause as Error).message}`, { cause });
  }
  const countTokens = options.countTokens ?? (await loadTokenCounter());
  const forceTokens = options.forceTokens ?? DEFAULT_FORCE_TOKENS;
  const maxLength = Math.max(8, options.maxSequenceLength ?? 512);

  /** Classifier chunks (each at most the model's length) with keep-probabilities per token. */
  const classifyChunks = async (text: string): Promise<ClassifiedToken[][]> => {
    const tokens = tokenizeWithForceTokens(text, tokenizer, forceTokens);
    const chunks: ClassifiedToken[][] = [];
    for (const chunk of chunkAtSentenceEnds(tokens, maxLength - 2)) {
      // Forced tokens stand for added placeholder tokens; the classifier sees them as unknown.
      const ids = chunk.map((token) =>
        token.forced ? tokenizer.unknownId : tokenizer.ids([token.piece])[0]!,
      );
      const probabilities = await runChunk(ort, session, tokenizer, ids);
      chunks.push(chunk.map((token, index) => ({ ...token, probability: probabilities[index]! })));
    }
    return chunks;
  };

  const classify = async (text: string) => (await classifyChunks(text)).flat();

  // Each chunk gets its own threshold and is joined without a separator, as in LLMLingua-2.
  const compress = async (text: string, { rate }: { rate: number }) =>
    (await classifyChunks(text))
      .map((chunk) =>
        compressClassifiedTokens(chunk, {
          rate,
          forceTokens,
          forceReserveDigit: options.forceReserveDigit ?? true,
          dropConsecutive: options.dropConsecutive ?? false,
          countTokens,
          keepWord: isAtomWord,
        }),
      )
      .join('');

  return {
    classify,
    compress,
    async prune(texts, { rate }) {
      const out: string[] = [];
      for (const text of texts) out.push(await compress(text, { rate }));
      return out;
    },
  };
}

/**
 * Splits tokens into chunks of at most `size`, cutting after the last '.' or line break that
 * fits, else before a word start, else anywhere.
 */
export function chunkAtSentenceEnds<T extends { piece: string }>(tokens: T[], size: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = Math.min(tokens.length, start + size);
    if (end < tokens.length) {
      let cut = end;
      while (cut > start + 1 && !/^▁?[.\n]$/.test(tokens[cut - 1]!.piece)) cut -= 1;
      if (cut === start + 1) {
        cut = end;
        while (cut > start + 1 && !tokens[cut]!.piece.startsWith('▁')) cut -= 1;
      }
      if (cut > start + 1) end = cut;
    }
    chunks.push(tokens.slice(start, end));
    start = end;
  }
  return chunks;
}

/** Softmax probability of label 1 ("keep") for each token of one chunk. */
async function runChunk(
  ort: OrtModule,
  session: Session,
  tokenizer: UnigramTokenizer,
  ids: number[],
): Promise<number[]> {
  const withSpecial = [
    ...(tokenizer.bosId !== undefined ? [tokenizer.bosId] : []),
    ...ids,
    ...(tokenizer.eosId !== undefined ? [tokenizer.eosId] : []),
  ];
  const shape = [1, withSpecial.length];
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
  for (const name of session.inputNames) {
    if (name === 'input_ids')
      feeds[name] = new ort.Tensor('int64', BigInt64Array.from(withSpecial.map(BigInt)), shape);
    else if (name === 'attention_mask')
      feeds[name] = new ort.Tensor('int64', new BigInt64Array(withSpecial.length).fill(1n), shape);
    else if (name === 'token_type_ids')
      feeds[name] = new ort.Tensor('int64', new BigInt64Array(withSpecial.length), shape);
    else throw new ClassifierModelError(`Unexpected model input "${name}"`);
  }
  const outputs = await session.run(feeds);
  const logits = outputs[session.outputNames[0]!];
  if (logits?.dims.length !== 3 || logits.dims[1] !== withSpecial.length || logits.dims[2]! < 2) {
    throw new ClassifierModelError(
      `Expected logits of shape [1, ${withSpecial.length}, 2], got [${logits?.dims}]`,
    );
  }
  const data = logits.data as Float32Array;
  const labels = logits.dims[2]!;
  const offset = tokenizer.bosId !== undefined ? 1 : 0;
  return ids.map((_, index) => {
    const base = (index + offset) * labels;
    const drop = data[base]!;
    const keep = data[base + 1]!;
    const high = Math.max(drop, keep);
    return Math.exp(keep - high) / (Math.exp(drop - high) + Math.exp(keep - high));
  });
}
