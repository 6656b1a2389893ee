import { AIMessage, ChatMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { exactKey } from '@tokenomics/core';
import { describe, expect, it } from 'vitest';
import { convertMessagesAndOptions, messageRole, toTokenomicsRequest } from './messages-to-request';
import { ScriptedChatModel } from './testing/scripted-chat-model';

const weather = tool(async () => 'sunny', {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});

function picture(data: string) {
  return new HumanMessage({
    content: [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } },
    ],
  });
}

describe('toTokenomicsRequest', () => {
  it('converts every role, AI tool calls and tool results', () => {
    const request = toTokenomicsRequest([
      new SystemMessage('You are terse.'),
      new HumanMessage('Weather in Oslo?'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'call-1', name: 'get_weather', args: { city: 'Oslo' } }],
      }),
      new ToolMessage({ content: 'sunny', tool_call_id: 'call-1', name: 'get_weather' }),
    ]);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: '' },
          { type: 'tool-call', toolCallId: 'call-1', toolName: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call-1', toolName: 'get_weather', output: 'sunny' }],
      },
    ]);
  });

  it('turns images and files into media parts that the exact key hashes by content', () => {
    const request = toTokenomicsRequest([
      new HumanMessage({
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'file', mimeType: 'application/pdf', data: 'JVBERi0=', metadata: { filename: 'a.pdf' } },
        ],
      }),
    ]);
    expect(request.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'media', mediaType: 'image/png', data: 'data:image/png;base64,AAAA' },
      { type: 'media', mediaType: 'application/pdf', data: 'JVBERi0=', filename: 'a.pdf' },
    ]);
    expect(exactKey(toTokenomicsRequest([picture('AAAA')]))).not.toBe(
      exactKey(toTokenomicsRequest([picture('BBBB')])),
    );
    expect(exactKey(toTokenomicsRequest([picture('AAAA')]))).toBe(
      exactKey(toTokenomicsRequest([picture('AAAA')])),
    );
  });

  it('reads model params, bound tools, tool choice, response format and settings from the model and call options', () => {
    const model = new ScriptedChatModel({ model: 'm-1', temperature: 0.2, answers: [{ text: 'x' }] });
    const request = toTokenomicsRequest([new HumanMessage('hi')], {
      model,
      callOptions: {
        tools: [weather],
        tool_choice: 'get_weather',
        response_format: { type: 'json_object' },
        stop: ['END'],
        seed: 42,
        top_p: 0.9,
        max_tokens: 100,
        signal: new AbortController().signal,
        timeout: 5000,
      },
      scope: { tenant: 'acme' },
    });
    expect(request).toEqual({
      model: 'scripted:m-1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      settings: {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 100,
        stopSequences: ['END'],
        seed: 42,
        responseFormat: { type: 'json' },
      },
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
      scope: { tenant: 'acme' },
    });
  });

  it('gives different keys when any setting, tool or earlier turn differs, and ignores abort signals', () => {
    const model = new ScriptedChatModel({ model: 'm-1', answers: [{ text: 'x' }] });
    const key = (options: Record<string, unknown>, earlier = 'first question') =>
      exactKey(
        toTokenomicsRequest(
          [new HumanMessage(earlier), new AIMessage('first answer'), new HumanMessage('and then?')],
          {
            model,
            callOptions: options,
          },
        ),
      );
    const base = key({});
    expect(key({ signal: new AbortController().signal })).toBe(base);
    expect(key({ temperature: 0.5 })).not.toBe(base);
    expect(key({ tools: [weather] })).not.toBe(base);
    expect(key({ stop: ['x'] })).not.toBe(base);
    expect(key({ response_format: { type: 'json_object' } })).not.toBe(base);
    expect(key({}, 'another first question')).not.toBe(base);
  });
});

describe('convertMessagesAndOptions', () => {
  it('reports a call option it cannot represent instead of throwing', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const model = new ScriptedChatModel({ answers: [{ text: 'x' }] });
    const converted = convertMessagesAndOptions([new HumanMessage('hi')], {
      model,
      callOptions: { odd: circular },
    });
    expect(converted.lossy).toMatch(/^conversion-failed/);
  });
});

describe('messageRole', () => {
  it('maps generic roles by name and keeps a role it has no name for apart from a user turn', () => {
    expect(messageRole(new ChatMessage('hi', 'assistant'))).toEqual({ role: 'assistant' });
    expect(messageRole(new ChatMessage('hi', 'developer'))).toEqual({ role: 'system' });
    expect(messageRole(new ChatMessage('hi', 'critic'))).toEqual({ role: 'user', unknown: 'critic' });
    expect(exactKey(toTokenomicsRequest([new ChatMessage('Is this right?', 'critic')]))).not.toBe(
      exactKey(toTokenomicsRequest([new HumanMessage('Is this right?')])),
    );
  });
});
