import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { parseLlmString } from './llm-string';

describe('parseLlmString', () => {
  it('reads back the params of the string LangChain builds for a call', () => {
    const model = new FakeListChatModel({ responses: ['x'] });
    const options = {
      stop: ['a,b', 'c'],
      tool_choice: 'auto',
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
      seed: 7,
      note: 'commas, colons: and "quotes"',
    };
    const llmString = model._getSerializedCacheKeyParametersForCall(options as never);
    expect(parseLlmString(llmString)).toEqual({ ...options, _type: 'fake-list', _model: 'base_chat_model' });
  });

  it('returns undefined for text that is not a params string', () => {
    expect(parseLlmString('no colon here')).toBeUndefined();
    expect(parseLlmString('a:{"open":1')).toBeUndefined();
    expect(parseLlmString('a:1x')).toBeUndefined();
  });

  it('reads an empty string as no params', () => {
    expect(parseLlmString('')).toEqual({});
  });
});
