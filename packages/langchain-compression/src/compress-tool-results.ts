import { type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { type CompressionOptions, compressText } from '@tokenomics/core';

export type ToolResultsCompression = { messages: BaseMessage[]; tokensBefore: number; tokensAfter: number };

/**
 * Compresses the text of tool results (what an agent's search or retrieval tools return) against
 * the question, structure-aware like any text: code, tables and JSON values stay whole. Messages
 * left unchanged are the same objects; a changed tool message keeps its id, call id and name.
 */
export async function compressToolResults(
  messages: BaseMessage[],
  options: CompressionOptions,
): Promise<ToolResultsCompression> {
  let tokensBefore = 0;
  let tokensAfter = 0;
  let changed = false;
  const question = options.question ?? lastHumanText(messages);
  const compressed: BaseMessage[] = [];
  for (const message of messages) {
    if (!ToolMessage.isInstance(message) || typeof message.content !== 'string') {
      compressed.push(message);
      continue;
    }
    const result = await compressText(message.content, { ...options, question });
    tokensBefore += result.tokensBefore;
    tokensAfter += result.tokensAfter;
    if (result.text === message.content) compressed.push(message);
    else {
      changed = true;
      compressed.push(withContent(message, result.text));
    }
  }
  return { messages: changed ? compressed : messages, tokensBefore, tokensAfter };
}

function withContent(message: ToolMessage, content: string): ToolMessage {
  return new ToolMessage({
    content,
    id: message.id,
    name: message.name,
    tool_call_id: message.tool_call_id,
    status: message.status,
    artifact: message.artifact,
    additional_kwargs: message.additional_kwargs,
    response_metadata: message.response_metadata,
  });
}

function lastHumanText(messages: BaseMessage[]): string | undefined {
  return messages.findLast((message) => message.type === 'human')?.text;
}
