import { describe, expect, it } from 'vitest';
import { exactKey, semanticPartitionKey } from './keys';
import type { TokenomicsRequest } from './request';

const base: TokenomicsRequest = {
  model: 'openai:gpt-4o-mini',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
    { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Paris.' }] },
    { role: 'user', content: [{ type: 'text', text: 'And its population?' }] },
  ],
  tools: [
    {
      name: 'lookup',
      description: 'Look a city up',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    },
  ],
  toolChoice: { type: 'auto' },
  settings: {
    temperature: 0,
    topP: 1,
    maxOutputTokens: 200,
    stopSequences: ['END'],
    seed: 7,
    responseFormat: { type: 'text' },
  },
  scope: { tenant: 'acme', user: 'u1', namespace: 'support' },
};

/** Rebuilds a value with every object's keys in reverse order (same meaning, different layout). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((key) => [key, reverseKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}

const variants: Array<[string, (request: TokenomicsRequest) => void]> = [
  ['model', (r) => (r.model = 'openai:gpt-4o')],
  ['temperature', (r) => (r.settings!.temperature = 0.2)],
  ['topP', (r) => (r.settings!.topP = 0.9)],
  ['max tokens', (r) => (r.settings!.maxOutputTokens = 201)],
  ['stop', (r) => (r.settings!.stopSequences = ['STOP'])],
  ['seed', (r) => (r.settings!.seed = 8)],
  ['response format', (r) => (r.settings!.responseFormat = { type: 'json' })],
  ['provider extra', (r) => (r.settings!.extra = { openai: { user: 'x' } })],
  ['system prompt', (r) => (r.messages[0]!.content = [{ type: 'text', text: 'You are verbose.' }])],
  [
    'earlier user turn',
    (r) => (r.messages[1]!.content = [{ type: 'text', text: 'What is the capital of Italy?' }]),
  ],
  ['earlier assistant turn', (r) => (r.messages[2]!.content = [{ type: 'text', text: 'Paris, France.' }])],
  ['last turn', (r) => (r.messages[3]!.content = [{ type: 'text', text: 'And its area?' }])],
  ['tool description', (r) => (r.tools![0]!.description = 'Look a town up')],
  ['tool schema', (r) => (r.tools![0]!.inputSchema = { type: 'object' })],
  ['no tools', (r) => (r.tools = [])],
  ['tool choice', (r) => (r.toolChoice = { type: 'required' })],
  ['tenant', (r) => (r.scope!.tenant = 'globex')],
  ['user', (r) => (r.scope!.user = 'u2')],
  ['namespace', (r) => (r.scope!.namespace = 'sales')],
  ['role', (r) => (r.messages[2]!.role = 'user')],
];

describe('exactKey', () => {
  it('is stable across object key order', () => {
    expect(exactKey(reverseKeys(base))).toBe(exactKey(base));
    expect(exactKey(structuredClone(base))).toBe(exactKey(base));
  });

  it('ignores settings that are present but undefined', () => {
    const withUndefined = structuredClone(base);
    withUndefined.settings = { ...withUndefined.settings, topK: undefined };
    expect(exactKey(withUndefined)).toBe(exactKey(base));
  });

  it.each(variants)('changes when the %s changes', (_name, change) => {
    const changed = structuredClone(base);
    change(changed);
    expect(exactKey(changed)).not.toBe(exactKey(base));
  });

  it('covers media by content, not by reference', () => {
    const withImage = (bytes: number[]): TokenomicsRequest => ({
      ...base,
      messages: [
        ...base.messages,
        { role: 'user', content: [{ type: 'media', mediaType: 'image/png', data: new Uint8Array(bytes) }] },
      ],
    });
    expect(exactKey(withImage([1, 2, 3]))).toBe(exactKey(withImage([1, 2, 3])));
    expect(exactKey(withImage([1, 2, 3]))).not.toBe(exactKey(withImage([1, 2, 4])));
  });

  it('hashes a 1 MB prompt', () => {
    const huge = structuredClone(base);
    huge.messages[3]!.content = [{ type: 'text', text: 'x'.repeat(1_000_000) }];
    expect(exactKey(huge)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('semanticPartitionKey', () => {
  it('ignores the user turns, which semantic lookup compares by meaning', () => {
    const other = structuredClone(base);
    other.messages[3]!.content = [{ type: 'text', text: 'How many people live there?' }];
    expect(semanticPartitionKey(other)).toBe(semanticPartitionKey(base));
  });

  it.each(variants.filter(([name]) => !['earlier user turn', 'last turn'].includes(name)))(
    'changes when the %s changes',
    (_name, change) => {
      const changed = structuredClone(base);
      change(changed);
      expect(semanticPartitionKey(changed)).not.toBe(semanticPartitionKey(base));
    },
  );
});
