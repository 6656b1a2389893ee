import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Embedder } from '../../packages/core/src/embedder/embedder';

/**
 * Embeds texts once and keeps the vectors in a file, so re-training after a change to the
 * features or the model takes seconds instead of re-embedding thousands of texts with the
 * (slow, single-threaded) offline model. Records are appended in chunks; a run that stops
 * halfway resumes where it left off.
 *
 * Record layout: 20-byte SHA-1 of the text, then `dimensions` float32 values.
 */
export async function embedWithCache(
  texts: readonly string[],
  embedder: Embedder,
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<Map<string, Float32Array>> {
  const stored = readCache(file, embedder.dimensions);
  const vectors = new Map<string, Float32Array>();
  const missing: string[] = [];
  for (const text of new Set(texts)) {
    const found = stored.get(digest(text));
    if (found) vectors.set(text, found);
    else missing.push(text);
  }
  mkdirSync(dirname(file), { recursive: true });
  const chunkSize = 64;
  for (let start = 0; start < missing.length; start += chunkSize) {
    const chunk = missing.slice(start, start + chunkSize);
    const embedded = await embedder.embed(chunk);
    const records = chunk.map((text, index) => {
      vectors.set(text, embedded[index]!);
      return Buffer.concat([digestBytes(text), Buffer.from(embedded[index]!.buffer.slice(0))]);
    });
    appendFileSync(file, Buffer.concat(records));
    onProgress?.(Math.min(start + chunkSize, missing.length), missing.length);
  }
  return vectors;
}

function readCache(file: string, dimensions: number): Map<string, Float32Array> {
  const entries = new Map<string, Float32Array>();
  if (!existsSync(file)) return entries;
  const bytes = readFileSync(file);
  const recordSize = 20 + dimensions * 4;
  for (let offset = 0; offset + recordSize <= bytes.length; offset += recordSize) {
    const key = bytes.subarray(offset, offset + 20).toString('hex');
    const vector = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + offset + 20, bytes.byteOffset + offset + recordSize),
    );
    entries.set(key, vector);
  }
  return entries;
}

function digestBytes(text: string): Buffer {
  return createHash('sha1').update(text).digest();
}

function digest(text: string): string {
  return digestBytes(text).toString('hex');
}
