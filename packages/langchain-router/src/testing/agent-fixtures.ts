import { tool } from '@langchain/core/tools';
import type { ScriptedCall } from '@tokenomics/langchain-common/test';
import { z } from 'zod';

/** The tool the routed agents call: 6 × 7 is their question. */
export const multiply = tool(async ({ a, b }: { a: number; b: number }) => String(a * b), {
  name: 'multiply',
  description: 'Multiplies two numbers',
  schema: z.object({ a: z.number(), b: z.number() }),
});

/** A tier's script: call `multiply` (with broken arguments when `badArguments`), then answer from its result. */
export function toolReply(label: string, badArguments: boolean) {
  return (_question: string, call: ScriptedCall) => {
    const result = call.messages.findLast((message) => message.type === 'tool');
    if (result) return { text: `${label}: 6 × 7 = ${result.text}` };
    return {
      toolCalls: [
        { id: `${label}-call`, name: 'multiply', args: badArguments ? { a: '6' } : { a: 6, b: 7 } },
      ],
    };
  };
}
