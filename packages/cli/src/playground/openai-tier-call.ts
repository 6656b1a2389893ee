import { messageText, type TierAnswer, type TokenomicsRequest } from '@tokenomics/core';

/** Calls the tier's OpenAI model through the AI SDK (needs OPENAI_API_KEY). */
export async function openAiTierAnswer(request: TokenomicsRequest): Promise<TierAnswer> {
  const [{ openai }, { generateText }] = await Promise.all([import('@ai-sdk/openai'), import('ai')]);
  const modelId = request.model.replace(/^openai:/, '');
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map(messageText)
    .join('\n');
  const messages = request.messages
    .filter((message) => message.role === 'user' || message.role === 'assistant')
    .map((message) => ({ role: message.role as 'user' | 'assistant', content: messageText(message) }));
  const result = await generateText({
    model: openai(modelId),
    system: system || undefined,
    messages,
    temperature: request.settings?.temperature ?? 0,
  });
  return {
    content: [{ type: 'text', text: result.text }],
    finishReason: result.finishReason === 'length' ? 'length' : 'stop',
    usage: {
      inputTokens: result.usage.inputTokens ?? 0,
      outputTokens: result.usage.outputTokens ?? 0,
    },
    metadata: { modelId },
  };
}
