import { describe, expect, it } from 'vitest';
import { parseModelId } from './model-id';

describe('parseModelId', () => {
  it.each([
    ['openai:gpt-4o-mini', { provider: 'openai', name: 'gpt-4o-mini' }],
    ['openai.chat:gpt-4o-mini', { provider: 'openai', name: 'gpt-4o-mini' }],
    ['openai/gpt-4o-mini', { provider: 'openai', name: 'gpt-4o-mini' }],
    ['gpt-4o-mini', { name: 'gpt-4o-mini' }],
    [
      'bedrock:anthropic.claude-3-haiku-20240307-v1:0',
      { provider: 'bedrock', name: 'anthropic.claude-3-haiku-20240307-v1:0' },
    ],
  ])('%s', (model, expected) => {
    expect(parseModelId(model)).toEqual(expected);
  });
});
