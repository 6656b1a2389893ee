import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { getTokenCounter } from '../tokens/token-counter';
import { loadTokenCounter } from './token-count';

const NQ = new URL(
  '../../../../../shared/datasets/compression/lost-in-the-middle/nq-open-oracle.jsonl.gz',
  import.meta.url,
);

describe('loadTokenCounter', () => {
  it('counts exactly what core counts, for cl100k_base and o200k_base', async () => {
    const count = await loadTokenCounter();
    const reference = await getTokenCounter();
    const samples = [
      'Hello,   world!\n\n\tIndented  line   with    spaces   \n',
      "It's the 1,234th time: naïve café — 東京 <|endoftext|> ```js\nconst x = 1;\n```",
      'a54e2eed-e625-4570-9f74-3624e77d6684 sk-proj-AbC123xYz789 https://example.com/a?b=c#d 🙂👍🏽',
      'x'.repeat(300) + ' ' + 'ab1'.repeat(100),
      'a  b   c    d\n\n\n\n e',
    ];
    let rows: string[] = [];
    try {
      rows = gunzipSync(readFileSync(NQ)).toString('utf8').split('\n').slice(0, 2000);
    } catch {
      // The shared datasets are optional for unit tests; the fixed samples still run.
    }
    for (const row of rows.filter(Boolean)) {
      const parsed = JSON.parse(row) as { ctxs: Array<{ text: string }> };
      samples.push(parsed.ctxs[0]!.text);
    }
    for (const text of samples) expect(count(text)).toBe(reference.count(text));
    const o200k = await loadTokenCounter('openai:gpt-4o');
    const o200kReference = await getTokenCounter('openai:gpt-4o');
    for (const text of samples.slice(0, 300)) expect(o200k(text)).toBe(o200kReference.count(text));
  });
});
