import { AIMessage, AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { asChunkGeneration } from './chunk-generation';

describe('asChunkGeneration', () => {
  it('turns an AI message into a chunk that still carries its tool calls, usage and metadata', () => {
    const message = new AIMessage({
      content: 'Checking the weather.',
      id: 'run-1',
      tool_calls: [{ id: 'call-1', name: 'get_weather', args: { city: 'Oslo' } }],
      invalid_tool_calls: [{ id: 'call-2', name: 'get_time', args: '{"zone":', error: 'bad JSON' }],
      usage_metadata: { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
      response_metadata: { finish_reason: 'tool_calls', model_name: 'm-1' },
    });
    const generation = asChunkGeneration({ text: message.text, message, generationInfo: { seen: true } });
    const chunk = generation.message as AIMessageChunk;

    expect(AIMessageChunk.isInstance(chunk)).toBe(true);
    expect(generation.text).toBe('Checking the weather.');
    expect(generation.generationInfo).toEqual({ seen: true });
    expect(chunk.text).toBe('Checking the weather.');
    expect(chunk.id).toBe('run-1');
    expect(chunk.tool_calls).toEqual([
      expect.objectContaining({ id: 'call-1', name: 'get_weather', args: { city: 'Oslo' } }),
    ]);
    expect(chunk.invalid_tool_calls).toEqual([
      expect.objectContaining({ id: 'call-2', name: 'get_time', args: '{"zone":' }),
    ]);
    expect(chunk.usage_metadata).toEqual({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(chunk.response_metadata).toMatchObject({ finish_reason: 'tool_calls', model_name: 'm-1' });
  });

  it('keeps the tool calls when the chunk is concatenated with a later chunk, as a stream consumer does', () => {
    const message = new AIMessage({
      content: '',
      tool_calls: [{ id: 'call-1', name: 'get_weather', args: { city: 'Oslo' } }],
    });
    const chunk = asChunkGeneration({ text: '', message }).message as AIMessageChunk;
    const whole = chunk.concat(new AIMessageChunk({ content: ' done' }));
    expect(whole.tool_calls).toEqual([
      expect.objectContaining({ name: 'get_weather', args: { city: 'Oslo' } }),
    ]);
    expect(whole.text).toBe(' done');
  });

  it('returns chunks and non-AI messages unchanged', () => {
    const chunkGeneration = { text: 'a', message: new AIMessageChunk({ content: 'a' }) };
    const humanGeneration = { text: 'b', message: new HumanMessage('b') };
    expect(asChunkGeneration(chunkGeneration)).toBe(chunkGeneration);
    expect(asChunkGeneration(humanGeneration)).toBe(humanGeneration);
  });
});
