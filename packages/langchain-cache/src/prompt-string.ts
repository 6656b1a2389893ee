import type { Message, Role } from '@tokenomics/core';

/**
 * The conversation as LangChain's cache path sees it: `BaseChatModel` calls
 * `cache.lookup(getBufferString(messages), llmString)`, one `Role: text` line per message.
 * That string is lossy: images, audio and files become placeholders like `[image]`, so two
 * calls with different pictures look the same. A conversation that shows one is reported as
 * lossy and must not be cached by prompt string.
 */
export function messagesFromPromptString(prompt: string): { messages: Message[]; lossy?: string } {
  const messages: Message[] = [];
  let current: { role: Role; lines: string[]; tool: boolean; prefixless: boolean } | undefined;
  const flush = () => {
    if (current) messages.push(toMessage(current));
  };
  for (const line of prompt.split('\n')) {
    const prefix = PREFIXES.find((candidate) => line.startsWith(candidate.text));
    if (prefix) {
      flush();
      current = {
        role: prefix.role,
        lines: [line.slice(prefix.text.length)],
        tool: prefix.text === 'Tool: ',
        prefixless: false,
      };
    } else if (current) {
      current.lines.push(line);
    } else {
      current = { role: 'user', lines: [line], tool: false, prefixless: true };
    }
  }
  flush();
  const placeholder = prompt.match(MEDIA_PLACEHOLDER);
  return placeholder ? { messages, lossy: `media-placeholder ${placeholder[0]}` } : { messages };
}

function toMessage(parsed: { role: Role; lines: string[]; tool: boolean; prefixless: boolean }): Message {
  const text = parsed.lines.join('\n');
  if (parsed.tool) {
    // The tool's name and call id are not recoverable from the line; the whole text stands
    // in as the result so the exact key still covers it, and semantic lookup skips tool turns.
    return { role: 'tool', content: [{ type: 'tool-result', toolCallId: '', toolName: '', output: text }] };
  }
  if (parsed.prefixless)
    return {
      role: 'user',
      content: [
        { type: 'other', value: 'no-role-prefix' },
        { type: 'text', text },
      ],
    };
  return { role: parsed.role, content: [{ type: 'text', text }] };
}

const PREFIXES: Array<{ text: string; role: Role }> = [
  { text: 'Human: ', role: 'user' },
  { text: 'AI: ', role: 'assistant' },
  { text: 'System: ', role: 'system' },
  { text: 'Tool: ', role: 'tool' },
];

/** What `getBufferString` writes in place of non-text input (see `_contentBlockToString`). */
const MEDIA_PLACEHOLDER =
  /\[(image|audio|video|file|text-plain file|document|media|input_image|input_file|input_audio|image_url|file_url|search_result)\]/;
