import type { LanguageModelV4GenerateResult, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { CachedResponse } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import {
  cachedResponseFromGenerateResult,
  cachedResponseFromStreamParts,
  contentFromStreamParts,
  readCachedAnswer,
  streamPartsFromContent,
} from './cached-answer';
import { fakeUsage } from './test-utils/fake-model';

/** What a store hands back: the response after a JSON round trip. */
const throughStore = (response: CachedResponse): CachedResponse => JSON.parse(JSON.stringify(response));

describe('stored answers', () => {
  it('keeps generated files, sources and tool calls through a JSON store', () => {
    const bytes = new Uint8Array([1, 2, 3, 250]);
    const result: LanguageModelV4GenerateResult = {
      content: [
        { type: 'text', text: 'Here is the chart.' },
        { type: 'file', mediaType: 'image/png', data: { type: 'data', data: bytes } },
        { type: 'source', sourceType: 'url', id: 'source-1', url: 'https://example.com/data' },
        { type: 'tool-call', toolCallId: 'call-1', toolName: 'plot', input: '{"kind":"bar"}' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: fakeUsage(30, 12),
      response: { modelId: 'model-2026-01' },
      warnings: [],
    };
    const stored = cachedResponseFromGenerateResult(result);
    expect(stored.content).toEqual([
      { type: 'text', text: 'Here is the chart.' },
      { type: 'tool-call', toolCallId: 'call-1', toolName: 'plot', input: { kind: 'bar' } },
    ]);
    expect(stored.usage).toEqual({
      inputTokens: 30,
      cachedInputTokens: 0,
      outputTokens: 12,
      reasoningTokens: 0,
    });

    const answer = readCachedAnswer(throughStore(stored));
    expect(answer.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(answer.modelId).toBe('model-2026-01');
    expect(answer.content[1]).toEqual({
      type: 'file',
      mediaType: 'image/png',
      data: { type: 'data', data: Buffer.from(bytes).toString('base64') },
    });
    expect(answer.content.slice(2)).toEqual(result.content.slice(2));
  });

  it('reads an entry written by another adapter from its neutral content', () => {
    const foreign: CachedResponse = {
      content: [
        { type: 'text', text: 'Checking the weather.' },
        { type: 'tool-call', toolCallId: 'lc-1', toolName: 'weather', input: { city: 'Oslo' } },
      ],
      finishReason: 'tool-calls',
      usage: { inputTokens: 10, outputTokens: 4 },
    };
    const answer = readCachedAnswer(foreign);
    expect(answer.content).toEqual([
      { type: 'text', text: 'Checking the weather.' },
      { type: 'tool-call', toolCallId: 'lc-1', toolName: 'weather', input: '{"city":"Oslo"}' },
    ]);
    expect(answer.streamParts).toBeUndefined();
    expect(streamPartsFromContent(answer).map((part) => part.type)).toEqual([
      'stream-start',
      'text-start',
      'text-delta',
      'text-end',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-end',
      'tool-call',
    ]);
  });

  it('ignores a recording of the wrong shape and falls back to the neutral content', () => {
    const response: CachedResponse = {
      content: [{ type: 'text', text: 'Plain answer.' }],
      finishReason: 'stop',
      usage: {},
      replay: {
        format: 'ai-sdk-v4-stream',
        parts: [{ type: 'text-delta', id: '0', delta: 'x' }, { bogus: true }],
      },
    };
    expect(readCachedAnswer(response).content).toEqual([{ type: 'text', text: 'Plain answer.' }]);
    expect(readCachedAnswer(response).streamParts).toBeUndefined();
  });

  it('records a stream part for part and rebuilds its content in block order', () => {
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: 'r-1', modelId: 'm', timestamp: new Date('2026-01-02T03:04:05Z') },
      { type: 'reasoning-start', id: 'r' },
      { type: 'text-start', id: 'a' },
      { type: 'reasoning-delta', id: 'r', delta: 'Think' },
      { type: 'text-delta', id: 'a', delta: 'Hello ' },
      { type: 'reasoning-end', id: 'r', providerMetadata: { provider: { signature: 'sig' } } },
      { type: 'text-delta', id: 'a', delta: 'world' },
      { type: 'text-end', id: 'a' },
      { type: 'raw', rawValue: { chunk: 1 } },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage: fakeUsage(5, 2) },
    ];
    expect(contentFromStreamParts(parts)).toEqual([
      { type: 'reasoning', text: 'Think', providerMetadata: { provider: { signature: 'sig' } } },
      { type: 'text', text: 'Hello world' },
    ]);
    const stored = cachedResponseFromStreamParts(parts);
    if (!stored) throw new Error('a finished stream must be storable');
    const answer = readCachedAnswer(throughStore(stored));
    expect(answer.streamParts).toEqual(parts.filter((part) => part.type !== 'raw'));
    expect(cachedResponseFromStreamParts(parts.slice(0, -1))).toBeUndefined();
  });
});
