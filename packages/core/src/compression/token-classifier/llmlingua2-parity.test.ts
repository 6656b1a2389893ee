/**
 * Parity with LLMLingua-2's published test vectors where the model's probabilities are not
 * needed. The vectors hold the original prompts and the outputs of
 * microsoft/llmlingua-2-xlm-roberta-large-meetingbank; without that model the probabilities
 * cannot be reproduced, so these tests check everything around them:
 * - token counts of the inputs (LLMLingua counts with tiktoken cl100k_base);
 * - that each expected output is exactly what this port renders for some keep/drop choice over
 *   its words (word merging, force-token placeholders, joining), and
 * - replaying that choice as probabilities through the whole algorithm (force tokens, digit
 *   reservation, drop-consecutive, percentile threshold) gives the expected output back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTokenCounter } from '../token-count';
import { tokenizeWithForceTokens } from './force-token-split';
import {
  type ClassifiedToken,
  compressClassifiedTokens,
  mergeTokensIntoWords,
  percentile,
  wordOfEachToken,
} from './llmlingua2';
import { UnigramTokenizer } from './unigram-tokenizer';

const GOLDEN = new URL(
  '../../../../../../shared/datasets/compression/llmlingua/test_llmlingua2.golden.json',
  import.meta.url,
);

type Golden = {
  constants: Record<string, string | string[]>;
  cases: Array<{
    input: string;
    call: {
      rate?: number;
      target_token?: number;
      force_tokens: string[] | string;
      drop_consecutive: boolean;
      force_reserve_digit: boolean;
    };
    expected: string;
    origin_tokens: number;
  }>;
};

/** A character-level SentencePiece stand-in: same word boundaries as XLM-R on ASCII text. */
function characterTokenizer(text: string): UnigramTokenizer {
  const characters = new Set(Array.from(text.normalize('NFKC')));
  const vocab: Array<[string, number]> = [
    ['<unk>', 0],
    ['▁', -1],
  ];
  for (const character of characters)
    if (!/\s/.test(character)) vocab.push([character, -2], [`▁${character}`, -2]);
  return new UnigramTokenizer({ model: { type: 'Unigram', vocab, unk_id: 0 } });
}

function resolveInput(golden: Golden, input: string): string[] {
  const match = /^(\w+)(?:\.split\('\\n\\n'\))?(\[0\])?$/.exec(input)!;
  const value = golden.constants[match[1]!]!;
  if (Array.isArray(value)) return value;
  if (!input.includes('.split')) return [value];
  const parts = value.split('\n\n');
  return match[2] ? [parts[0]!] : parts;
}

/** A keep/drop choice over words whose rendering is exactly `target`, if one exists. */
function findKeepMask(words: string[], target: string): boolean[] | undefined {
  const rendered = words.map((word) => word.replaceAll('▁', ' '));
  for (const goal of [target, ` ${target}`]) {
    const failed = new Set<number>();
    const keep = words.map(() => false);
    const search = (index: number, position: number): boolean => {
      if (position === goal.length) return true;
      if (index === words.length) return false;
      const key = index * (goal.length + 1) + position;
      if (failed.has(key)) return false;
      const piece = rendered[index]!;
      if (goal.startsWith(piece, position) && search(index + 1, position + piece.length)) {
        keep[index] = true;
        return true;
      }
      keep[index] = false;
      if (search(index + 1, position)) return true;
      failed.add(key);
      return false;
    };
    const firstKeptStartsWord = goal !== target;
    if (search(0, 0)) {
      const first = keep.indexOf(true);
      if (first === -1 || words[first]!.startsWith('▁') === firstKeptStartsWord) return keep;
    }
  }
  return undefined;
}

describe.skipIf(!existsSync(GOLDEN))('LLMLingua-2 parity vectors (model-free parts)', () => {
  const golden = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden) : undefined;

  it('counts the original tokens as LLMLingua does (cl100k_base)', async () => {
    const count = await loadTokenCounter();
    for (const testCase of golden!.cases) {
      const contexts = resolveInput(golden!, testCase.input);
      const total = contexts.reduce((sum, context) => sum + count(context), 0);
      expect(total, testCase.input).toBe(testCase.origin_tokens);
    }
  });

  it('renders every expected output from a keep/drop choice over its words', async () => {
    for (const testCase of golden!.cases.filter((item) => item.input !== 'LONGBENCH_PROMPT_LIST')) {
      const forceTokens = testCase.call.force_tokens as string[];
      const contexts = resolveInput(golden!, testCase.input);
      const expected = golden!.constants[testCase.expected] as string;
      const renders = (piece: string) =>
        contexts.some(
          (context) =>
            findChunkedKeepMasks(classifierChunks(context, testCase.expected), forceTokens, piece) !==
            undefined,
        );
      // Multi-context cases: the context filter (model-dependent) kept one context, or several
      // joined by a blank line.
      const found = renders(expected) || expected.split('\n\n').every(renders);
      expect(found, testCase.expected).toBe(true);
    }
  });

  it('reproduces the single-context outputs when the keep choice is replayed as probabilities', async () => {
    const count = await loadTokenCounter();
    const singleContext = golden!.cases.filter(
      (item) => item.input.endsWith('[0]') || item.input === 'PROMPT',
    );
    expect(singleContext.map((item) => item.expected)).toEqual([
      'COMPRESSED_SINGLE_CONTEXT_PROMPT',
      'GSM8K_150TOKENS_COMPRESSED_SINGLE_CONTEXT_PROMPT',
      'MEETINGBANK_150TOKENS_COMPRESSED_SINGLE_CONTEXT_PROMPT',
    ]);
    for (const testCase of singleContext) {
      const forceTokens = testCase.call.force_tokens as string[];
      const context = resolveInput(golden!, testCase.input)[0]!;
      const expected = golden!.constants[testCase.expected] as string;
      const chunks = classifierChunks(context, testCase.expected);
      const found = findChunkedKeepMasks(chunks, forceTokens, expected)!;
      // Give each token its word's decision, then a rate that puts every chunk's threshold between them.
      const classified = found.map(({ tokens, keep }) => {
        const owners = wordOfEachToken(tokens, new Set(forceTokens));
        return tokens.map((token, index) => ({ ...token, probability: keep[owners[index]!] ? 0.9 : 0.1 }));
      });
      const droppedShares = found.map(({ words, keep }) => {
        const counts = words.map((word) => count(word.replaceAll('▁', ' ')));
        const dropped = counts.reduce((sum, tokens, index) => sum + (keep[index] ? 0 : tokens), 0);
        return dropped / counts.reduce((sum, tokens) => sum + tokens, 0);
      });
      const rate = 1 - Math.min(...droppedShares) + 0.02;
      const output = classified
        .map((tokens) =>
          compressClassifiedTokens(tokens, {
            rate,
            forceTokens,
            forceReserveDigit: testCase.call.force_reserve_digit,
            dropConsecutive: testCase.call.drop_consecutive,
            countTokens: count,
          }),
        )
        .join('');
      if (!testCase.call.drop_consecutive) {
        expect(output, testCase.expected).toBe(expected);
        continue;
      }
      // With drop_consecutive, whether a repeated force token goes depends on a second,
      // word-level threshold over the model's raw probabilities, which a replay of the final
      // keep choice cannot know: the only differences allowed are force tokens the model's
      // probabilities removed.
      const extra = deletedCharacters(output, expected);
      expect(extra, testCase.expected).toBeDefined();
      expect(
        extra!.every((character) => forceTokens.includes(character)),
        extra!.join(''),
      ).toBe(true);
      expect(extra!.length).toBeLessThanOrEqual(3);
    }
  });
});

/**
 * The classifier's chunks of a context. XLM-R's 512-token limit cannot be located without its
 * vocabulary; in the MeetingBank case the expected output itself shows where the chunk ended
 * ("time.Development": a chunk's first kept word loses its space), so that boundary is given.
 */
function classifierChunks(context: string, expectedName: string): string[] {
  if (!expectedName.startsWith('MEETINGBANK')) return [context];
  const boundary = context.indexOf('Next time, please.') + 'Next time, please.'.length;
  return [context.slice(0, boundary), context.slice(boundary)];
}

/** The characters to delete from `longer` to get `shorter`, if it is a subsequence. */
function deletedCharacters(longer: string, shorter: string): string[] | undefined {
  const deleted: string[] = [];
  let position = 0;
  for (const character of longer) {
    if (position < shorter.length && shorter[position] === character) position += 1;
    else deleted.push(character);
  }
  return position === shorter.length ? deleted : undefined;
}

type ChunkChoice = { tokens: Array<Omit<ClassifiedToken, 'probability'>>; words: string[]; keep: boolean[] };

/** Keep choices per chunk whose renderings, joined, are `target`. */
function findChunkedKeepMasks(
  chunks: string[],
  forceTokens: string[],
  target: string,
): ChunkChoice[] | undefined {
  const prepared = chunks.map((chunk) => {
    const tokens = tokenizeWithForceTokens(chunk, characterTokenizer(chunk), forceTokens);
    const words = mergeTokensIntoWords(
      tokens.map((token) => ({ ...token, probability: 0.5 })),
      { forceTokens },
    ).map((word) => word.text);
    return { tokens, words };
  });
  const solve = (index: number, rest: string): ChunkChoice[] | undefined => {
    const chunk = prepared[index]!;
    if (index === prepared.length - 1) {
      const keep = findKeepMask(chunk.words, rest);
      return keep ? [{ ...chunk, keep }] : undefined;
    }
    for (let split = rest.length; split >= 0; split -= 1) {
      if (split > 0 && !/[.?!]/.test(rest[split - 1]!)) continue;
      const keep = findKeepMask(chunk.words, rest.slice(0, split));
      if (!keep) continue;
      const tail = solve(index + 1, rest.slice(split));
      if (tail) return [{ ...chunk, keep }, ...tail];
    }
    return undefined;
  };
  return solve(0, target);
}

describe('LLMLingua-2 word algorithm', () => {
  it('matches NumPy linear percentiles', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBeCloseTo(2.5);
    expect(percentile([0.1, 0.9, 0.3], 33)).toBeCloseTo(0.232);
    expect(percentile([5], 90)).toBe(5);
  });

  it('merges sub-word tokens, splits at punctuation and force tokens, and forces digits', () => {
    const tokens: ClassifiedToken[] = [
      { piece: '▁John', probability: 0.2 },
      { piece: ':', probability: 0.4 },
      { piece: '▁rev', probability: 0.6 },
      { piece: 'ising', probability: 0.8 },
      { piece: '▁1', probability: 0.1 },
      { piece: '9', probability: 0.3 },
      { piece: '.', probability: 0.05 },
      { piece: '\n', probability: 0.05, forced: true },
    ];
    const words = mergeTokensIntoWords(tokens, { forceTokens: ['.', '\n'], forceReserveDigit: true });
    expect(words.map((word) => word.text)).toEqual(['▁John', ':', '▁revising', '▁19', '.', '\n']);
    expect(words.map((word) => word.probability)).toEqual([0.2, 0.4, 0.7, 1, 1, 1]);
    expect(words[3]!.rawProbability).toBeCloseTo(0.2);
  });

  it('keeps about the rate of tokens, highest probabilities first, in order', async () => {
    const count = await loadTokenCounter();
    const tokens: ClassifiedToken[] = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet'
      .split(' ')
      .map((word, index) => ({ piece: `▁${word}`, probability: index % 2 === 0 ? 0.9 - index / 100 : 0.1 }));
    const output = compressClassifiedTokens(tokens, { rate: 0.5, countTokens: count });
    expect(output).toBe('alpha charlie echo golf india');
    const dropped = compressClassifiedTokens(
      [
        ...tokens.slice(0, 2),
        { piece: '.', probability: 0 },
        { piece: '▁x', probability: 0 },
        { piece: '.', probability: 0 },
      ],
      { rate: 0.5, countTokens: count, forceTokens: ['.'], dropConsecutive: true },
    );
    expect(dropped).toBe('alpha.');
  });
});
