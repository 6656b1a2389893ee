import type { LanguageModelV4 } from '@ai-sdk/provider';
import { cacheMiddleware, getCacheMetadata } from '@tokenomics/ai-sdk';
import type { CacheEngine } from '@tokenomics/core';
import { generateText, wrapLanguageModel } from 'ai';
import { offlineLanguageModel } from '../stand-in';
import { conversationTurns } from './conversation';
import type { CallOutcome } from './demo-types';
import type { ModelChoice } from './model-choice';
import type { Workload, WorkloadRequest } from './workload';

/**
 * Sends workload requests through `generateText` on a model wrapped with the cache
 * middleware on the shared engine; the tenant goes in `providerOptions.tokenomics.scope`.
 */
export async function createAiSdkClient(options: {
  engine: CacheEngine;
  workload: Workload;
  model: ModelChoice;
}) {
  const inner: LanguageModelV4 = options.model.offline
    ? offlineLanguageModel({ book: options.model.book, model: options.model.pricedAs })
    : ((await import('@ai-sdk/openai')).openai(options.model.modelName) as LanguageModelV4);
  const model = wrapLanguageModel({
    model: inner,
    middleware: cacheMiddleware({ engine: options.engine, scope: { namespace: 'demo-ai-sdk' } }),
  });

  return {
    framework: 'ai-sdk' as const,
    async call(request: WorkloadRequest): Promise<CallOutcome> {
      const result = await generateText({
        model,
        system: options.workload.system,
        messages: conversationTurns(options.workload, request).map((turn) => ({
          role: turn.role,
          content: turn.text,
        })),
        temperature: 0,
        providerOptions: { tokenomics: { scope: { tenant: request.tenant } } },
      });
      const metadata = getCacheMetadata(result.providerMetadata);
      if (metadata?.cached) {
        return {
          decision: 'hit',
          kind: metadata.kind,
          similarity: metadata.similarity,
          text: result.text,
          usage: metadata.originalUsage ?? {},
        };
      }
      return {
        decision: metadata?.decision === 'bypass' ? 'bypass' : 'miss',
        text: result.text,
        usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
      };
    },
  };
}
