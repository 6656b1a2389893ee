import { readFile } from 'node:fs/promises';
import { DatasetError } from './dataset-error';

/**
 * A two-turn conversation from the MeanCache files. The follow-up depends on the main query
 * ("What are its types?"). Files in the `u0`/`u1` format also carry a paraphrase of each turn.
 */
export type Conversation = {
  main: string;
  mainAnswer: string;
  followUp: string;
  followUpAnswer: string;
  mainParaphrase?: string;
  followUpParaphrase?: string;
};

/**
 * Reads `contextual_queries.json`, `d1.json`, `context2.json` (`Main Query` / `Follow-Up Query`)
 * or `new_claude.json` (`u0`, `u0_duplicate`, `system_q0`, `u1`, `u1_duplicate`, `system_q1`).
 */
export async function readConversations(path: string): Promise<Conversation[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DatasetError(`Cannot read conversations file ${path}: ${(error as Error).message}`);
  }
  return parseConversations(value, path);
}

export function parseConversations(value: unknown, source = 'conversations'): Conversation[] {
  if (!Array.isArray(value)) throw new DatasetError(`${source}: expected a JSON array`);
  return value.map((item, index) => {
    const record = (item ?? {}) as Record<string, unknown>;
    const where = `${source}[${index}]`;
    if ('Main Query' in record) {
      return {
        main: text(record, 'Main Query', where),
        mainAnswer: text(record, 'Main Query Response', where),
        followUp: text(record, 'Follow-Up Query', where),
        followUpAnswer: text(record, 'Follow Up Query Response', where),
      };
    }
    if ('u0' in record) {
      return {
        main: text(record, 'u0', where),
        mainParaphrase: text(record, 'u0_duplicate', where),
        mainAnswer: text(record, 'system_q0', where),
        followUp: text(record, 'u1', where),
        followUpParaphrase: text(record, 'u1_duplicate', where),
        followUpAnswer: text(record, 'system_q1', where),
      };
    }
    throw new DatasetError(`${where}: expected "Main Query"/"Follow-Up Query" or "u0"/"u1" fields`);
  });
}

function text(record: Record<string, unknown>, field: string, where: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new DatasetError(`${where}: "${field}" must be a non-empty string`);
  return value;
}
