import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Embedder, UseLiteEmbedder } from '@tokenomics/core';

/** Where routing runs keep prompt embeddings between runs (derived data, not committed). */
export const DEFAULT_EMBEDDING_CACHE = '.tokenomics/routing-embeddings';

/**
 * Embeds prompts once and keeps the vectors in `<folder>/<embedder id>.bin`, so a second
 * benchmark or training run takes seconds instead of re-embedding 14,000 prompts with the
 * single-threaded offline model. Chunks are appended as they finish, so a stopped run resumes.
 * Record layout: 20-byte SHA-1 of the text, then `dimensions` float32 values.
 */
export async function embedPrompts(
  texts: readonly string[],
  options: { folder?: string; embedder?: Embedder; onProgress?: (done: number, total: number) => void } = {},
): Promise<Map<string, Float32Array>> {
  const embedder = options.embedder ?? new UseLiteEmbedder({ batchSize: 16 });
  const file = join(
    options.folder ?? DEFAULT_EMBEDDING_CACHE,
    `${embedder.id.replace(/[^\w.-]+/g, '_')}.bin`,
  );
  const stored = readEmbeddingCache(file, embedder.dimensions);
  const vectors = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const text of new Set(texts)) {
    const found = stored.get(digest(text));
    if (found) vectors.set(text, found);
    else missing.push(text);
  }
  if (missing.length === 0) return vectors;
  mkdirSync(dirname(file), { recursive: true });
  const chunkSize = 64;
  for (let start = 0; start < missing.length; start += chunkSize) {
    const chunk = missing.slice(start, start + chunkSize);
    const embedded = await embedder.embed(chunk);
    const records = chunk.map((text, index) => {
      const vector = embedded[index]!;
      vectors.set(text, vector);
      return Buffer.concat([
        createHash('sha1').update(text).digest(),
        Buffer.from(Float32Array.from(vector).buffer),
      ]);
    });
    appendFileSync(file, Buffer.concat(records));
    options.onProgress?.(Math.min(start + chunkSize, missing.length), missing.length);
  }
  return vectors;
}

function readEmbeddingCache(file: string, dimensions: number): Map<string, Float32Array> {
  const entries = new Map<string, Float32Array>();
  if (!existsSync(file)) return entries;
  const bytes = readFileSync(file);
  const recordSize = 20 + dimensions * 4;
  for (let offset = 0; offset + recordSize <= bytes.length; offset += recordSize) {
    const key = bytes.subarray(offset, offset + 20).toString('hex');
    entries.set(
      key,
      new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset + 20, bytes.byteOffset + offset + recordSize),
      ),
    );
  }
  return entries;
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
