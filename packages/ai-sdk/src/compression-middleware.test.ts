import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { CostLedger, HashingEmbedder, InvalidCompressionOptionsError, SemanticCache } from '@tokenomics/core';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { getCacheMetadata } from './cache-metadata';
import { cacheMiddleware } from './cache-middleware';
import {
  COMPRESSION_METADATA_KEY,
  compressionMiddleware,
  getCompressionMetadata,
} from './compression-middleware';
import { installedSpecificationVersion } from './installed-specification';
import { ANSWER, filler, recordedModel, toolConversation } from './test-utils/compression-fixture';

function setup(options: Parameters<typeof compressionMiddleware>[0] = {}) {
  return recordedModel(compressionMiddleware({ rate: 0.2, minTokens: 0, ...options }));
}

const IMAGE = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);

const NOTES = `My notes: ${filler(20, 1)} ${ANSWER} ${filler(20, 3)}`;

function conversation() {
  return [
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: NOTES },
        { type: 'file' as const, data: IMAGE, mediaType: 'image/png' },
      ],
    },
    { role: 'assistant' as const, content: `Noted. ${filler(16, 2)}` },
    { role: 'user' as const, content: 'When did the harbor bridge open?' },
  ];
}

function textOf(prompt: LanguageModelV4Prompt, index: number): string {
  const message = prompt[index]!;
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => ('text' in part ? part.text : '')).join('');
}

describe('compressionMiddleware', () => {
  it('compresses older text parts for generateText and leaves the rest byte for byte', async () => {
    const { calls, wrapped } = setup();
    const result = await generateText({
      model: wrapped,
      system: 'Answer briefly.',
      messages: conversation(),
    });
    expect(result.text).toBe('In 1932.');
    const prompt = calls[0]!.prompt;
    expect(prompt).toHaveLength(4);
    expect(prompt[0]).toEqual({ role: 'system', content: 'Answer briefly.' });
    expect(textOf(prompt, 3)).toBe('When did the harbor bridge open?');
    expect(textOf(prompt, 1)).toContain(ANSWER);
    const file = (prompt[1]!.content as Array<{ type: string; data?: unknown }>).find(
      (part) => part.type === 'file',
    );
    // The model gets the file as the installed `ai` spells it: V4 data under ai 7, bytes under ai 6.
    const spelled = installedSpecificationVersion() === 'v4' ? { type: 'data', data: IMAGE } : IMAGE;
    expect(file?.data).toEqual(spelled);
    const metadata = getCompressionMetadata(result.providerMetadata);
    expect(metadata?.tokensAfter).toBeLessThan((metadata?.tokensBefore ?? 0) * 0.4);
    expect(metadata?.trace).toMatchObject({ stage: 'compression', decision: 'compress' });
  });

  it('works with streamText and reports on the finish part', async () => {
    const { calls, wrapped } = setup();
    const result = streamText({ model: wrapped, messages: conversation() });
    expect(await result.text).toBe('In 1932.');
    const metadata = getCompressionMetadata(await result.providerMetadata);
    expect(metadata?.ratio).toBeGreaterThan(2);
    expect(textOf(calls[0]!.prompt, 0)).toContain(ANSWER);
    expect(textOf(calls[0]!.prompt, 0).length).toBeLessThan(NOTES.length / 2);
  });

  it('leaves tool results alone by default and compresses their text when asked', async () => {
    const toolOutput = `${filler(30, 4)} ${ANSWER}`;
    const messages = toolConversation(toolOutput);
    const plain = setup();
    await generateText({ model: plain.wrapped, messages });
    const kept = plain.calls[0]!.prompt[2]!.content as Array<{ output: { value: string } }>;
    expect(kept[0]!.output.value).toBe(toolOutput);

    const asked = setup({ toolResults: true });
    await generateText({ model: asked.wrapped, messages });
    const compressed = asked.calls[0]!.prompt[2]!.content as Array<{ output: { value: string } }>;
    expect(compressed[0]!.output.value).toContain(ANSWER);
    expect(compressed[0]!.output.value.length).toBeLessThan(toolOutput.length / 2);
  });

  it('passes a short prompt through unchanged and says so', async () => {
    const events: unknown[] = [];
    const { calls, wrapped } = setup({ minTokens: 500, onCompressed: (event) => events.push(event) });
    const result = await generateText({ model: wrapped, prompt: 'Hi there, how are you?' });
    expect(textOf(calls[0]!.prompt, 0)).toBe('Hi there, how are you?');
    expect(result.providerMetadata?.[COMPRESSION_METADATA_KEY]).toMatchObject({ skipped: 'short' });
    expect(events).toEqual([expect.objectContaining({ skipped: 'short' })]);
  });

  it('is deterministic across calls, so a provider prompt cache sees the same prefix', async () => {
    const { calls, wrapped } = setup();
    await generateText({ model: wrapped, messages: conversation() });
    await generateText({ model: wrapped, messages: conversation() });
    expect(calls[1]!.prompt).toEqual(calls[0]!.prompt);
  });

  it('composes with the cache middleware: cache outside keys on the original prompt', async () => {
    const engine = new SemanticCache({
      embedder: new HashingEmbedder(),
      verifier: false,
      onWarning: () => {},
    });
    const { calls, wrapped } = recordedModel([
      cacheMiddleware({ engine }),
      compressionMiddleware({ rate: 0.2, minTokens: 0 }),
    ]);
    const first = await generateText({ model: wrapped, messages: conversation() });
    const second = await generateText({ model: wrapped, messages: conversation() });
    expect(calls).toHaveLength(1);
    expect(textOf(calls[0]!.prompt, 0).length).toBeLessThan(NOTES.length / 2);
    expect(getCompressionMetadata(first.providerMetadata)?.ratio).toBeGreaterThan(2);
    expect(getCacheMetadata(second.providerMetadata)).toMatchObject({ cached: true });
  });

  it('never changes messages up to a provider cache breakpoint', async () => {
    const { calls, wrapped } = setup();
    const messages = conversation();
    const marked = [
      { ...messages[0]!, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
      messages[1]!,
      messages[2]!,
    ];
    await generateText({ model: wrapped, messages: marked });
    const prompt = calls[0]!.prompt;
    expect(textOf(prompt, 0)).toBe(NOTES);
    expect(textOf(prompt, 1).length).toBeLessThan(messages[1]!.content.length / 2);
  });

  it('records every compression in the ledger with the real model id, tool results included', async () => {
    const ledger = new CostLedger();
    const toolOutput = `${filler(40, 4)} ${ANSWER}`;
    const messages = toolConversation(toolOutput);
    const { wrapped } = setup({ toolResults: true, ledger });
    const result = await generateText({ model: wrapped, messages });
    const metadata = getCompressionMetadata(result.providerMetadata)!;
    expect(metadata.tokensAfter).toBeLessThan(metadata.tokensBefore / 2);
    expect(ledger.entries()).toEqual([
      expect.objectContaining({
        stage: 'compression',
        model: `${wrapped.provider}:${wrapped.modelId}`,
        spent: expect.objectContaining({ tokens: metadata.tokensAfter }),
        baseline: expect.objectContaining({ tokens: metadata.tokensBefore }),
      }),
    ]);
  });

  it('compresses documents in the system prompt by default and keeps its instructions', async () => {
    const documents = Array.from(
      { length: 16 },
      (_, index) => `Document [${index + 1}] ${index === 9 ? ANSWER : filler(3, index)}`,
    ).join('\n');
    const system = `Answer from the documents.\n\n${documents}`;
    const { calls, wrapped } = setup();
    await generateText({ model: wrapped, system, prompt: 'When did the harbor bridge open?' });
    const sent = textOf(calls[0]!.prompt, 0);
    expect(sent.startsWith('Answer from the documents.\n\n')).toBe(true);
    expect(sent).toContain(ANSWER);
    expect(sent.length).toBeLessThan(system.length / 2);
    expect(textOf(calls[0]!.prompt, 1)).toBe('When did the harbor bridge open?');
  });

  it('rejects an invalid rate when the middleware is created, saying what to write', () => {
    expect(() => compressionMiddleware({ rate: 3 })).toThrow(/rate: 1 \/ 3/);
    try {
      compressionMiddleware({ rate: 3 });
    } catch (error) {
      expect(InvalidCompressionOptionsError.isInstance(error)).toBe(true);
    }
  });
});
