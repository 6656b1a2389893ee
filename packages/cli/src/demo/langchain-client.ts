import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { CacheEngine, Usage } from '@tokenomics/core';
import {
  TokenomicsCache,
  type TokenomicsCacheEvent,
  type TokenomicsHitMetadata,
} from '@tokenomics/langchain-cache';
import { OfflineChatModel } from '../stand-in';
import { conversationTurns } from './conversation';
import type { CallOutcome } from './demo-types';
import type { ModelChoice } from './model-choice';
import type { Workload, WorkloadRequest } from './workload';

/**
 * Sends workload requests through a LangChain chat model whose `cache` is a TokenomicsCache
 * on the shared engine, one cache view per tenant (`withScope`).
 */
export async function createLangChainClient(options: {
  engine: CacheEngine;
  workload: Workload;
  model: ModelChoice;
}) {
  // The cache's lookup events during the current `invoke`.
  const lookups: TokenomicsCacheEvent[] = [];
  const base = new TokenomicsCache({
    engine: options.engine,
    scope: { namespace: 'demo-langchain' },
    onEvent: (event) => {
      if (event.type === 'hit' || event.type === 'miss' || event.type === 'bypass') lookups.push(event);
    },
  });
  const models = new Map<string, BaseChatModel>();
  const modelFor = async (tenant: string): Promise<BaseChatModel> => {
    const found = models.get(tenant);
    if (found) return found;
    const cache = base.withScope({ tenant });
    const created = options.model.offline
      ? new OfflineChatModel({ book: options.model.book, model: options.model.pricedAs, cache })
      : new (await import('@langchain/openai')).ChatOpenAI({
          model: options.model.modelName,
          temperature: 0,
          cache,
        });
    models.set(tenant, created);
    return created;
  };

  return {
    framework: 'langchain' as const,
    async call(request: WorkloadRequest): Promise<CallOutcome> {
      const model = await modelFor(request.tenant);
      const messages: BaseMessage[] = [
        new SystemMessage(options.workload.system),
        ...conversationTurns(options.workload, request).map((turn) =>
          turn.role === 'user' ? new HumanMessage(turn.text) : new AIMessage(turn.text),
        ),
      ];
      lookups.length = 0;
      const message = await model.invoke(messages);
      const hit = message.response_metadata?.tokenomics as TokenomicsHitMetadata | undefined;
      if (hit?.cached) {
        return {
          decision: 'hit',
          kind: hit.kind,
          similarity: hit.similarity,
          text: message.text,
          usage: hit.savedUsage,
        };
      }
      const usage: Usage = {
        inputTokens: message.usage_metadata?.input_tokens ?? 0,
        outputTokens: message.usage_metadata?.output_tokens ?? 0,
      };
      return { decision: lookups.at(-1)?.type === 'bypass' ? 'bypass' : 'miss', text: message.text, usage };
    },
  };
}
