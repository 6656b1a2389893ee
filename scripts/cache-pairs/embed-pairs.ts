/**
 * Embeds every text of the pair files with the offline USE-lite model into the embedding
 * cache that train-verifier reads (run it alone to warm the cache in the background).
 *
 *   npx tsx scripts/cache-pairs/embed-pairs.ts [--pairs .tokenomics/cache-pairs]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import { UseLiteEmbedder } from '../../packages/core/src/embedder/use-lite-embedder';
import type { LabelledPair } from './pair-types';

export function readPairs(file: string): LabelledPair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledPair);
}

export async function embedPairFiles(
  pairsFolder: string,
  files: readonly string[],
): Promise<Map<string, Float32Array>> {
  const texts = files.flatMap((file) =>
    readPairs(join(pairsFolder, file)).flatMap((pair) => [pair.a, pair.b]),
  );
  const embedder = new UseLiteEmbedder({ batchSize: 16 });
  const started = Date.now();
  return embedPrompts(texts, {
    folder: join(pairsFolder, 'embeddings'),
    embedder,
    onProgress: (done, total) => {
      if (done === total || done % 512 === 0) {
        process.stderr.write(
          `embedded ${done}/${total} new texts (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
        );
      }
    },
  });
}

async function main(): Promise<void> {
  const index = process.argv.indexOf('--pairs');
  const folder = resolve(index >= 0 ? process.argv[index + 1]! : '.tokenomics/cache-pairs');
  const vectors = await embedPairFiles(folder, ['train.jsonl', 'validation.jsonl', 'test.jsonl']);
  process.stdout.write(`${vectors.size} texts embedded\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
