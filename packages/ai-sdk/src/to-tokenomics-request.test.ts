import type { LanguageModelV4CallOptions, SharedV4FileData } from '@ai-sdk/provider';
import { exactKey, semanticText } from '@tokenomics/core';
import { semanticPartitionKey } from '@tokenomics/core/internal';
import { describe, expect, it } from 'vitest';
import { toTokenomicsRequest } from './to-tokenomics-request';

const model = { provider: 'openai.chat', modelId: 'gpt-4o-mini' };

function baseParams(): LanguageModelV4CallOptions {
  return {
    prompt: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
    ],
  };
}

const keyOf = (params: LanguageModelV4CallOptions) => exactKey(toTokenomicsRequest(params, model));

describe('toTokenomicsRequest', () => {
  it('qualifies the model id with the provider and converts each role', () => {
    const request = toTokenomicsRequest(
      {
        prompt: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Need the tool.' },
              { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call-1',
                toolName: 'weather',
                output: { type: 'json', value: { celsius: 21 } },
              },
            ],
          },
        ],
      },
      model,
    );
    expect(request.model).toBe('openai.chat:gpt-4o-mini');
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(request.messages[2]?.content).toEqual([
      { type: 'reasoning', text: 'Need the tool.' },
      { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: { city: 'Paris' } },
    ]);
    expect(request.messages[3]?.content[0]).toMatchObject({ type: 'tool-result', toolCallId: 'call-1' });
  });

  it('keeps abort signals, headers, raw-chunk flags and its own provider options out of the key', () => {
    const plain = keyOf(baseParams());
    expect(
      keyOf({
        ...baseParams(),
        abortSignal: new AbortController().signal,
        headers: { 'x-request-id': 'abc' },
        includeRawChunks: true,
        providerOptions: { tokenomics: { tags: ['faq'] } },
      }),
    ).toBe(plain);
  });

  it('treats spelled-out defaults as absent', () => {
    const plain = keyOf(baseParams());
    expect(keyOf({ ...baseParams(), responseFormat: { type: 'text' } })).toBe(plain);
    expect(keyOf({ ...baseParams(), reasoning: 'provider-default' })).toBe(plain);
    expect(keyOf({ ...baseParams(), tools: [] })).toBe(plain);
    expect(keyOf({ ...baseParams(), toolChoice: { type: 'auto' } })).toBe(plain);
  });

  it('changes the key when anything that changes the answer changes', () => {
    const weatherTool = {
      type: 'function' as const,
      name: 'weather',
      description: 'Current weather',
      inputSchema: { type: 'object' as const, properties: { city: { type: 'string' as const } } },
    };
    const variants: Array<[string, LanguageModelV4CallOptions]> = [
      ['temperature', { ...baseParams(), temperature: 0.7 }],
      ['topP', { ...baseParams(), topP: 0.9 }],
      ['topK', { ...baseParams(), topK: 40 }],
      ['maxOutputTokens', { ...baseParams(), maxOutputTokens: 64 }],
      ['stopSequences', { ...baseParams(), stopSequences: ['\n'] }],
      ['seed', { ...baseParams(), seed: 7 }],
      ['presencePenalty', { ...baseParams(), presencePenalty: 0.5 }],
      ['frequencyPenalty', { ...baseParams(), frequencyPenalty: 0.5 }],
      ['reasoning', { ...baseParams(), reasoning: 'high' }],
      ['json response', { ...baseParams(), responseFormat: { type: 'json' } }],
      [
        'json schema',
        { ...baseParams(), responseFormat: { type: 'json', schema: { type: 'object', properties: {} } } },
      ],
      ['provider options', { ...baseParams(), providerOptions: { openai: { store: true } } }],
      ['function tool', { ...baseParams(), tools: [weatherTool] }],
      ['strict tool', { ...baseParams(), tools: [{ ...weatherTool, strict: true }] }],
      [
        'provider tool',
        { ...baseParams(), tools: [{ type: 'provider', id: 'openai.web_search', name: 'search', args: {} }] },
      ],
      ['tool choice', { ...baseParams(), tools: [weatherTool], toolChoice: { type: 'required' } }],
      [
        'system prompt',
        { prompt: [{ role: 'system', content: 'You are verbose.' }, ...baseParams().prompt.slice(1)] },
      ],
      [
        'earlier turn',
        {
          prompt: [
            ...baseParams().prompt.slice(0, 1),
            { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
            { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }] },
            ...baseParams().prompt.slice(1),
          ],
        },
      ],
      [
        'message provider options',
        {
          prompt: [
            ...baseParams().prompt.slice(0, 1),
            {
              role: 'user',
              content: [{ type: 'text', text: 'What is the capital of France?' }],
              providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
            },
          ],
        },
      ],
    ];
    const plain = keyOf(baseParams());
    const keys = new Set([plain]);
    for (const [name, params] of variants) {
      const key = keyOf(params);
      expect(key, name).not.toBe(plain);
      keys.add(key);
    }
    expect(keys.size).toBe(variants.length + 1);
  });

  it('separates models, providers and scopes', () => {
    const params = baseParams();
    const base = exactKey(toTokenomicsRequest(params, model));
    expect(exactKey(toTokenomicsRequest(params, { ...model, modelId: 'gpt-4o' }))).not.toBe(base);
    expect(exactKey(toTokenomicsRequest(params, { ...model, provider: 'azure.chat' }))).not.toBe(base);
    const tenantA = toTokenomicsRequest(params, model, { tenant: 'a' });
    const tenantB = toTokenomicsRequest(params, model, { tenant: 'b' });
    expect(exactKey(tenantA)).not.toBe(exactKey(tenantB));
    expect(semanticPartitionKey(tenantA)).not.toBe(semanticPartitionKey(tenantB));
    expect(toTokenomicsRequest(params, model, { tenant: undefined }).scope).toBeUndefined();
  });

  describe('files', () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 4]);
    const withFile = (data: SharedV4FileData) => keyOf(fileParams(data));
    function fileParams(data: SharedV4FileData): LanguageModelV4CallOptions {
      return {
        prompt: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'file', mediaType: 'image/png', data },
            ],
          },
        ],
      };
    }

    it('keys a file by its content, whether given as bytes or base64', () => {
      const asBytes = withFile({ type: 'data', data: bytes });
      const asBase64 = withFile({ type: 'data', data: Buffer.from(bytes).toString('base64') });
      expect(asBase64).toBe(asBytes);
      expect(withFile({ type: 'data', data: new Uint8Array([137, 80, 78, 71, 1, 2, 3, 5]) })).not.toBe(
        asBytes,
      );
    });

    it('keys a URL by its address and a reference by its ids', () => {
      const first = withFile({ type: 'url', url: new URL('https://example.com/a.png') });
      expect(withFile({ type: 'url', url: new URL('https://example.com/a.png') })).toBe(first);
      expect(withFile({ type: 'url', url: new URL('https://example.com/b.png') })).not.toBe(first);
      const reference = withFile({ type: 'reference', reference: { openai: 'file-1' } });
      expect(withFile({ type: 'reference', reference: { openai: 'file-2' } })).not.toBe(reference);
    });

    it('gives a file spelled as ai 6 does (V3: bytes, base64 or a URL) the key it has under ai 7', () => {
      const v3 = (data: Uint8Array | string | URL) => withFile(data as unknown as SharedV4FileData);
      expect(v3(bytes)).toBe(withFile({ type: 'data', data: bytes }));
      expect(v3(Buffer.from(bytes).toString('base64'))).toBe(withFile({ type: 'data', data: bytes }));
      const url = new URL('https://example.com/a.png');
      expect(v3(url)).toBe(withFile({ type: 'url', url }));
      expect(v3(new URL('https://example.com/b.png'))).not.toBe(v3(url));
    });

    it('takes requests with files out of semantic lookup', () => {
      const request = toTokenomicsRequest(fileParams({ type: 'data', data: bytes }), model);
      expect(semanticText(request)).toEqual({ ok: false, reason: 'has-media' });
    });
  });
});
