import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { createSqliteCache, HashingEmbedder } from '@tokenomics/core';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { cacheMiddleware } from './cache-middleware';
import { fakeModel } from './test-utils/fake-model';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function openModel(path: string) {
  const inner = fakeModel(() => ({
    reasoning: 'Recall geography.',
    text: 'The capital of France is Paris.',
  }));
  const engine = await createSqliteCache({
    path,
    embedder: new HashingEmbedder(),
    verifier: false,
    threshold: 0.85,
  });
  const middleware = cacheMiddleware({ engine, scope: { tenant: 'acme' } });
  return { inner, middleware, model: wrapLanguageModel({ model: inner, middleware }) };
}

describe('cacheMiddleware on the SQLite store', () => {
  it('replays a streamed answer part for part after the cache file is reopened', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tokenomics-ai-sdk-'));
    folders.push(folder);
    const path = join(folder, 'cache.sqlite');
    const prompt = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'What is the capital of France?' }] },
    ];
    const read = async (stream: ReadableStream<LanguageModelV4StreamPart>) => {
      const parts: LanguageModelV4StreamPart[] = [];
      for await (const part of stream as unknown as AsyncIterable<LanguageModelV4StreamPart>)
        parts.push(part);
      return parts.filter((part) => part.type !== 'finish');
    };

    const before = await openModel(path);
    const original = await read((await before.model.doStream({ prompt })).stream);
    await before.middleware.close();

    const after = await openModel(path);
    const replayed = await read((await after.model.doStream({ prompt })).stream);
    expect(after.inner.doStreamCalls).toHaveLength(0);
    expect(replayed).toEqual(original);

    const paraphrase = await generateText({
      model: after.model,
      prompt: 'What is the capital city of France?',
    });
    expect(paraphrase.text).toBe('The capital of France is Paris.');
    expect(getCacheMetadata(paraphrase.providerMetadata)).toMatchObject({ cached: true, kind: 'semantic' });
    expect(
      await streamText({ model: after.model, prompt: 'What is the capital of France?' }).reasoningText,
    ).toBe('Recall geography.');
    expect(after.inner.doGenerateCalls).toHaveLength(0);
    await after.middleware.close();
  });
});
