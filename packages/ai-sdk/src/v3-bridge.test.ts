import type { LanguageModelV2, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { fixed, HashingEmbedder, SemanticCache } from '@tokenomics/core';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { cacheMiddleware } from './cache-middleware';
import { type AiCallOptions, installedSpecificationVersion } from './installed-specification';
import { createRouterModel } from './router/router-model';
import { fakeUsage } from './test-utils/fake-model';
import { mockLanguageModel } from './test-utils/mock-language-model';

// These tests run under ai 7 (`pnpm test`) and ai 6 (`pnpm test:ai6`): files are where the V3 and
// V4 specifications differ, so a file must reach the model, the cache and the caller intact in both.

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);

/** File data as the installed `ai`'s models write and read it. */
function spelled(bytes: Uint8Array): unknown {
  return installedSpecificationVersion() === 'v4' ? { type: 'data', data: bytes } : bytes;
}

/** A model that answers with a text and a PNG, and records the file data of each prompt it gets. */
function drawingModel() {
  const seen: unknown[] = [];
  const record = (params: LanguageModelV4CallOptions) => {
    for (const message of params.prompt) {
      if (message.role === 'system') continue;
      for (const part of message.content) if (part.type === 'file') seen.push(part.data);
    }
  };
  const file = { type: 'file', mediaType: 'image/png', data: spelled(PNG) } as never;
  const model = mockLanguageModel({
    provider: 'fake',
    modelId: 'drawing-model',
    doGenerate: async (params) => {
      record(params);
      return {
        content: [{ type: 'text', text: 'Here is the chart.' }, file],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: fakeUsage(30, 5),
        warnings: [],
      };
    },
    doStream: async (params) => {
      record(params);
      const chunks = [
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Here is the chart.' },
        { type: 'text-end', id: 't' },
        file,
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: fakeUsage(30, 5) },
      ] as const;
      return { stream: simulateReadableStream({ chunks: [...chunks] }) };
    },
  });
  return { model, seen };
}

function cached(model: ReturnType<typeof drawingModel>['model']) {
  const engine = new SemanticCache({ embedder: new HashingEmbedder(), verifier: false, onWarning: () => {} });
  return wrapLanguageModel({ model, middleware: cacheMiddleware({ engine, onWarning: () => {} }) });
}

const bytesOf = (files: ReadonlyArray<{ uint8Array: Uint8Array }>) =>
  files.map((file) => [...file.uint8Array]);

describe(`the adapters under the installed ai (specification ${installedSpecificationVersion()})`, () => {
  it('serves a file the model drew from the cache with the same bytes, to generateText and streamText', async () => {
    const { model } = drawingModel();
    const wrapped = cached(model);
    const first = await generateText({ model: wrapped, prompt: 'Draw the sales chart.' });
    expect(bytesOf(first.files)).toEqual([[...PNG]]);

    const again = await generateText({ model: wrapped, prompt: 'Draw the sales chart.' });
    expect(getCacheMetadata(again.providerMetadata)).toMatchObject({ cached: true, kind: 'exact' });
    expect(bytesOf(again.files)).toEqual([[...PNG]]);

    const streamed = streamText({ model: wrapped, prompt: 'Draw the sales chart.' });
    expect(bytesOf(await streamed.files)).toEqual([[...PNG]]);
    expect(await streamed.text).toBe('Here is the chart.');
    expect(model.doGenerateCalls).toHaveLength(1);
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it('passes a file in the prompt to the model in its spelling, and the same file as base64 hits', async () => {
    const { model, seen } = drawingModel();
    const wrapped = cached(model);
    const ask = (data: Uint8Array | string) =>
      generateText({
        model: wrapped,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What does this image show?' },
              { type: 'file', data, mediaType: 'image/png' },
            ],
          },
        ],
      });
    const first = await ask(PNG);
    expect(getCacheMetadata(first.providerMetadata)?.cached).toBe(false);
    expect(seen).toEqual([spelled(PNG)]);

    const second = await ask(Buffer.from(PNG).toString('base64'));
    expect(getCacheMetadata(second.providerMetadata)).toMatchObject({ cached: true, kind: 'exact' });
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it('hands a scope function the call options as the installed ai spells them', async () => {
    const { model } = drawingModel();
    const files: unknown[] = [];
    const engine = new SemanticCache({
      embedder: new HashingEmbedder(),
      verifier: false,
      onWarning: () => {},
    });
    const scope = (params: AiCallOptions) => {
      for (const message of params.prompt) {
        if (message.role === 'user')
          for (const part of message.content) if (part.type === 'file') files.push(part.data);
      }
      return { tenant: 'acme' };
    };
    const wrapped = wrapLanguageModel({
      model,
      middleware: cacheMiddleware({ engine, scope, onWarning: () => {} }),
    });
    await generateText({
      model: wrapped,
      messages: [{ role: 'user', content: [{ type: 'file', data: PNG, mediaType: 'image/png' }] }],
    });
    expect(files).toEqual([spelled(PNG)]);
  });

  it('routes a call with a file to a tier and returns the file the tier drew', async () => {
    const { model, seen } = drawingModel();
    const spare = drawingModel().model;
    const router = createRouterModel({
      tiers: [
        { id: 'drawing', model },
        { id: 'spare', model: spare },
      ],
      policy: fixed('drawing'),
    });
    const result = await generateText({
      model: router,
      messages: [{ role: 'user', content: [{ type: 'file', data: PNG, mediaType: 'image/png' }] }],
    });
    expect(result.text).toBe('Here is the chart.');
    expect(bytesOf(result.files)).toEqual([[...PNG]]);
    expect(seen).toEqual([spelled(PNG)]);
    expect(spare.doGenerateCalls).toHaveLength(0);
  });

  it.runIf(installedSpecificationVersion() === 'v3')(
    'refuses a V2 tier under ai 6, naming the release that converts it',
    () => {
      const legacy = { ...drawingModel().model, specificationVersion: 'v2' } as unknown as LanguageModelV2;
      expect(() =>
        createRouterModel({
          tiers: [{ model: legacy }, { model: drawingModel().model }],
          policy: fixed('fake:drawing-model'),
        }),
      ).toThrow(/specification V2.*only with ai 7/);
    },
  );
});
