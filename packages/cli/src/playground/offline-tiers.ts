import { estimateUsage, messageText, type TierAnswer, type TokenomicsRequest } from '@tokenomics/core';

/** Words that make the offline cheap tier hedge, so the cascade's escalation can be seen offline. */
const HARD_PROMPT = /\b(prove|proof|derive|step by step|step-by-step|optimi[sz]e|edge cases?)\b/i;

/**
 * The offline stand-in for a tier call: a fixed answer naming the tier, with the usage a real
 * model would report (tiktoken counts for the tier's model). Not model output: the playground
 * labels every offline answer. The cheap tier hedges on prompts that ask for a proof or a
 * derivation (a rule of this stand-in, shown on the page), which the cascade's scorers catch.
 */
export async function offlineTierAnswer(request: TokenomicsRequest, cheap: boolean): Promise<TierAnswer> {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  // The question is the last paragraph: a prompt with retrieved context ends with it.
  const question = (lastUser ? messageText(lastUser).trim() : '')
    .split(/\n\s*\n/)
    .at(-1)!
    .trim();
  const text =
    cheap && HARD_PROMPT.test(question)
      ? `I'm not sure; it is hard to say, and I might be wrong. (offline stand-in for ${request.model})`
      : `Offline stand-in answer from ${request.model} to: ${question.slice(0, 200)}`;
  const usage = await estimateUsage(request, text);
  return {
    content: [{ type: 'text', text }],
    finishReason: 'stop',
    usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
    metadata: { offlineStandIn: true },
  };
}
