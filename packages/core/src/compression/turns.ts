import type { Message } from '../request/request';

type Entry = { message: Message; source: number | undefined };

export type DropTurnsOptions = {
  prefixLength: number;
  keepLastTurns: number;
  /** Tokens to remove. */
  excess: number;
  tokensOf: (message: Message) => number;
};

/**
 * Drops whole old turns, oldest first, until `excess` tokens are gone: a turn is a user message
 * and everything up to the next one (replies, tool calls and their results), so no tool result
 * loses its call and roles keep alternating. System messages, the stable prefix and the last
 * `keepLastTurns` turns stay. One pass: linear in the number of messages.
 */
export function dropOldTurns<Item extends Entry>(entries: Item[], options: DropTurnsOptions): Item[] {
  const turnStarts: number[] = [];
  entries.forEach((entry, index) => {
    const fixed = entry.source !== undefined && entry.source < options.prefixLength;
    if (!fixed && entry.message.role === 'user') turnStarts.push(index);
  });
  const droppable = Math.max(0, turnStarts.length - Math.max(0, options.keepLastTurns));
  const dropped = new Set<number>();
  let excess = options.excess;
  for (let turn = 0; turn < droppable && excess > 0; turn += 1) {
    const end = turnStarts[turn + 1] ?? entries.length;
    for (let index = turnStarts[turn]!; index < end; index += 1) {
      if (entries[index]!.message.role === 'system') continue;
      dropped.add(index);
      excess -= options.tokensOf(entries[index]!.message);
    }
  }
  return dropped.size === 0 ? entries : entries.filter((_, index) => !dropped.has(index));
}
