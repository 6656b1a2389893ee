import { tool } from '@langchain/core/tools';
import { type ScriptedCall, ScriptedChatModel } from '@tokenomics/langchain-common/test';
import { z } from 'zod';

/** A long retrieved document with one fact that matters (the harbor bridge's opening year). */
export const ARCHIVE_DOCUMENT = Array.from({ length: 60 }, (_, index) =>
  index === 37
    ? 'The harbor bridge opened in 1932 after eight years of construction.'
    : `Note ${index}: the facilities team restocked kitchen ${index} and watered the plants on floor ${index % 7}.`,
).join(' ');

/** The agent's search tool: it always returns ARCHIVE_DOCUMENT. */
export const archiveSearch = tool(async () => ARCHIVE_DOCUMENT, {
  name: 'search',
  description: 'Searches the archive',
  schema: z.object({ query: z.string() }),
});

/**
 * A chat model that first calls the search tool, then answers "It opened in 1932." if the tool
 * result it was sent still holds the year (so a compression that dropped it shows).
 */
export function searchingModel(model = 'gpt-4o-mini'): ScriptedChatModel {
  return new ScriptedChatModel({
    model,
    answers: (_question: string, call: ScriptedCall) => {
      const result = call.messages.findLast((message) => message.type === 'tool');
      if (!result)
        return { toolCalls: [{ id: 'search-1', name: 'search', args: { query: 'harbor bridge' } }] };
      return { text: result.text.includes('1932') ? 'It opened in 1932.' : 'I do not know.' };
    },
  });
}
