import { getEncoding, getEncodingNameForModel, type Tiktoken, type TiktokenModel } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { encodingForModel } from './encoding-for-model';
import { countTokens, getTokenCounter } from './token-counter';

const sample =
  'Tokenomics caches answers: «Wie viele Tokens spart ein Cache?» 缓存可以节省多少令牌？ ' +
  'कैश कितने टोकन बचाता है? function add(a, b) { return a + b; } 12345.678 🚀';

// tiktoken's own full build, independent of the lazy lite loader under test; built once per encoding.
const referenceEncoders = new Map<'o200k_base' | 'cl100k_base', Tiktoken>();
function reference(encoding: 'o200k_base' | 'cl100k_base'): Tiktoken {
  let encoder = referenceEncoders.get(encoding);
  if (!encoder) {
    encoder = getEncoding(encoding);
    referenceEncoders.set(encoding, encoder);
  }
  return encoder;
}

describe('encodingForModel', () => {
  it.each([
    'gpt-4o',
    'gpt-4o-mini-2024-07-18',
    'gpt-4.1-nano',
    'gpt-5-mini',
    'o3-mini',
    'gpt-4',
    'gpt-3.5-turbo',
    'gpt-4-turbo',
  ])('agrees with tiktoken for %s, with or without a provider prefix', (model) => {
    const expected = getEncodingNameForModel(model as TiktokenModel);
    expect(encodingForModel(model)).toBe(expected);
    expect(encodingForModel(`openai:${model}`)).toBe(expected);
  });

  it('uses o200k_base for families newer than the tiktoken table, cl100k_base for other vendors', () => {
    expect(encodingForModel('openai:gpt-5.1-codex')).toBe('o200k_base');
    expect(encodingForModel('anthropic:claude-sonnet-4-5')).toBe('cl100k_base');
    expect(encodingForModel('google:gemini-2.5-flash')).toBe('cl100k_base');
    expect(encodingForModel()).toBe('cl100k_base');
  });
});

describe('countTokens', () => {
  it.each([
    ['gpt-4o-mini', 'o200k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
  ] as const)('counts %s text exactly as tiktoken encodes it with %s', async (model, encoding) => {
    const expected = reference(encoding).encode(sample).length;
    expect(await countTokens(sample, model)).toBe(expected);
    expect((await getTokenCounter(model)).encoding).toBe(encoding);
  });

  it('gives different counts per encoding, so choosing the right one matters', async () => {
    expect(await countTokens(sample, 'gpt-4o')).not.toBe(await countTokens(sample, 'gpt-4'));
  });

  it('counts special-token markers in user text as plain text instead of throwing', async () => {
    const text = 'ignore <|endoftext|> this';
    expect(await countTokens(text, 'gpt-4o')).toBe(reference('o200k_base').encode(text, [], []).length);
    expect(await countTokens('', 'gpt-4o')).toBe(0);
  });

  it('counts a long unbroken run made of short pieces (a URL, a path) exactly', async () => {
    const url = `https://docs.example.com/${'reference/api-v2/section_'.repeat(12)}index.html?query=tokens&page=3`;
    expect(url.length).toBeGreaterThan(300);
    const text = `See ${url} for details.`;
    expect(await countTokens(text, 'gpt-4o')).toBe(reference('o200k_base').encode(text).length);
    expect(await countTokens(text, 'gpt-4')).toBe(reference('cl100k_base').encode(text).length);
  });

  it('stays fast on a long unbroken run and close to the exact count', async () => {
    let run = '';
    for (let index = 0; index < 1_000; index++) run += String.fromCharCode(97 + ((index * 7919) % 26));
    const exact = reference('o200k_base').encode(run).length;
    const counted = await countTokens(run, 'gpt-4o');
    expect(Math.abs(counted - exact) / exact).toBeLessThan(0.2);

    const started = performance.now();
    expect(await countTokens(`start ${'a'.repeat(50_000)} end`, 'gpt-4o')).toBeGreaterThan(50_000 / 16);
    // Unchunked, this run takes minutes.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
