import type { TierAnswer, TokenomicsRequest } from '@tokenomics/core';
import { type AnswerBook, standInReply } from '../stand-in';

/** Words that make the offline cheap tier hedge, so the cascade's escalation can be seen offline. */
const HARD_PROMPT = /\b(prove|proof|derive|step by step|step-by-step|optimi[sz]e|edge cases?)\b/i;

/**
 * The offline stand-in for a tier call: a fixed answer naming the tier's model, with the usage a
 * real model would report (the demo's stand-in counts it with tiktoken). Not model output: the
 * playground labels every offline answer. The cheap tier hedges on prompts that ask for a proof
 * or a derivation (a rule of this stand-in, shown on the page), which the cascade's scorers catch.
 */
export async function offlineTierAnswer(request: TokenomicsRequest, cheap: boolean): Promise<TierAnswer> {
  const reply = await standInReply(request, tierBook(request.model, cheap), request.model);
  return { content: [{ type: 'text', text: reply.text }], finishReason: 'stop', usage: reply.usage };
}

function tierBook(model: string, cheap: boolean): AnswerBook {
  return (userTurns) => {
    // The question is the last paragraph: a prompt with retrieved context ends with it.
    const question = (userTurns.at(-1) ?? '')
      .trim()
      .split(/\n\s*\n/)
      .at(-1)!
      .trim();
    return cheap && HARD_PROMPT.test(question)
      ? `I'm not sure; it is hard to say, and I might be wrong. (offline stand-in for ${model})`
      : `Offline stand-in answer from ${model} to: ${question.slice(0, 200)}`;
  };
}
