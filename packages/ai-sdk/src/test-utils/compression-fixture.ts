import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import { fakeModel } from './fake-model';

/** Office notes: prose a compressor can drop, around the one fact a question asks about. */
export const TOPICS = [
  'The cafeteria on the second floor serves soup and salad from eleven until two every weekday.',
  'Quarterly planning meetings move to the large conference room while the small one is repainted.',
  'The bike racks behind the building were replaced with covered ones that hold forty bicycles.',
  'New laptops arrive next month and the help desk will schedule the swap with every team lead.',
  'The library keeps reference books on the third floor and lends novels for up to three weeks.',
  'Visitors sign in at reception and wear a paper badge that expires at the end of the day.',
];

/** The fact "When did the harbor bridge open?" needs; a compressed prompt must keep it. */
export const ANSWER = 'The harbor bridge opened in 1932 after eight years of construction by 1,400 workers.';

/** `count` sentences of office notes, starting at topic `seed`; past the topics they repeat as numbered notes. */
export function filler(count: number, seed = 0): string {
  return Array.from({ length: count }, (_, index) => {
    const topic = TOPICS[(index + seed) % TOPICS.length]!;
    return index < TOPICS.length ? topic : `Note ${index}: ${topic.toLowerCase()}`;
  }).join(' ');
}

/** A search tool call whose text result is `toolOutput`, then the question about the bridge. */
export function toolConversation(toolOutput: string) {
  return [
    { role: 'user' as const, content: 'Look up the bridge.' },
    {
      role: 'assistant' as const,
      content: [{ type: 'tool-call' as const, toolCallId: 'c1', toolName: 'search', input: { q: 'bridge' } }],
    },
    {
      role: 'tool' as const,
      content: [
        {
          type: 'tool-result' as const,
          toolCallId: 'c1',
          toolName: 'search',
          output: { type: 'text' as const, value: toolOutput },
        },
      ],
    },
    { role: 'user' as const, content: 'When did the harbor bridge open?' },
  ];
}

/** A fake model that answers "In 1932." and records what it was sent, wrapped in `middleware`. */
export function recordedModel(middleware: Parameters<typeof wrapLanguageModel>[0]['middleware']) {
  const calls: LanguageModelV4CallOptions[] = [];
  const model = fakeModel((params) => {
    calls.push(params);
    return { text: 'In 1932.' };
  });
  return { calls, wrapped: wrapLanguageModel({ model, middleware }) };
}
