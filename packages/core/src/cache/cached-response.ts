/**
 * A model answer as the cache stores it: plain data, framework-neutral, so an entry written
 * through LangChain can be read back through the AI SDK and vice versa. Adapters may add a
 * `replay` of the exact parts their framework streamed, to replay a stream part for part.
 */
export type CachedResponse = {
  content: ResponseContent[];
  finishReason: FinishReason;
  usage: Usage;
  /** Provider response metadata worth keeping (model id actually used, response id). */
  metadata?: Record<string, unknown>;
  /** Framework-specific recording, e.g. `{ format: 'ai-sdk-v4-stream', parts: [...] }`. */
  replay?: { format: string; parts: unknown[] };
};

export type ResponseContent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown };

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export type Usage = {
  inputTokens?: number;
  cachedInputTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
};

export function responseText(response: CachedResponse): string {
  return response.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
}
