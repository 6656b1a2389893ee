import type { LanguageModelV4 } from '@ai-sdk/provider';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { createTokenomicsStack as createAiSdkStack } from '@tokenomics/ai-sdk';
import type { CacheEngine, LedgerRecord, ModelPriceOverride, RoutePolicy, Usage } from '@tokenomics/core';
import { createTokenomicsStack as createLangChainStack } from '@tokenomics/langchain';
import { TokenomicsCache } from '@tokenomics/langchain-cache';
import { generateText } from 'ai';
import { OfflineChatModel, offlineLanguageModel } from '../../stand-in';
import type { Framework } from '../demo-types';
import type { PipelineRequest } from './pipeline-workload';
import type { StandInTiers } from './stand-in-tiers';

/** The two tiers: offline stand-ins replaying recorded answers, or real OpenAI models. */
export type TierChoice =
  | { offline: true; books: StandInTiers; weak: TierSpec; strong: TierSpec }
  | { offline: false; weak: TierSpec; strong: TierSpec };

/** A tier's model name and the id and rates the ledger prices it with. */
export type TierSpec = { name: string; id: string; price?: ModelPriceOverride };

/** What one call through the whole pipeline did: the answer and each stage's decision. */
export type PipelineCall = {
  text: string;
  cache: { decision: 'hit' | 'miss' | 'bypass'; kind?: 'exact' | 'semantic'; similarity?: number };
  compression?: { tokensBefore: number; tokensAfter: number };
  route?: { tier: string; reason: string; escalated: boolean };
  record: LedgerRecord;
};

export type PipelineClient = {
  framework: Framework;
  call(request: PipelineRequest, baseline: Usage | undefined): Promise<PipelineCall>;
};

export type PipelineClientOptions = {
  engine: CacheEngine;
  tiers: TierChoice;
  policy: () => RoutePolicy;
  compressionRate: number;
};

/** The AI SDK stack: `generateText` on `createTokenomicsStack` (cache, compression, router). */
export async function aiSdkPipeline(options: PipelineClientOptions): Promise<PipelineClient> {
  const holder: { baseline?: Usage; call?: Omit<PipelineCall, 'text'> } = {};
  const stack = createAiSdkStack({
    router: {
      tiers: [await aiSdkTier(options.tiers, 'weak'), await aiSdkTier(options.tiers, 'strong')],
      policy: options.policy(),
    },
    cache: { engine: options.engine, scope: { namespace: 'demo-ai-sdk' }, coalesce: false },
    compression: { rate: options.compressionRate },
    recordedBaseline: () => holder.baseline,
    onCall: (report) => {
      holder.call = {
        cache: {
          decision: report.cache?.decision ?? 'bypass',
          kind: report.cache?.kind,
          similarity: report.cache?.similarity,
        },
        ...(report.compression ? { compression: report.compression } : {}),
        ...(report.route ? { route: report.route } : {}),
        record: report.record,
      };
    },
  });
  return {
    framework: 'ai-sdk',
    async call(request, baseline) {
      holder.baseline = baseline;
      holder.call = undefined;
      const result = await generateText({
        model: stack.model,
        system: request.system,
        messages: request.turns.map((turn) => ({ role: turn.role, content: turn.text })),
        temperature: 0,
        providerOptions: { tokenomics: { scope: { tenant: request.tenant } } },
      });
      return { text: result.text, ...reported(holder, request) };
    },
  };
}

async function aiSdkTier(tiers: TierChoice, which: 'weak' | 'strong') {
  const spec = tiers[which];
  const model: LanguageModelV4 = tiers.offline
    ? offlineLanguageModel({ book: tiers.books[which], model: spec.id })
    : ((await import('@ai-sdk/openai')).openai(spec.name) as LanguageModelV4);
  return { id: which, modelId: spec.id, model, ...(spec.price ? { price: spec.price } : {}) };
}

/** The LangChain stack: `createTokenomicsStack` from `@tokenomics/langchain`, invoked with the tenant as `cacheScope`. */
export async function langChainPipeline(options: PipelineClientOptions): Promise<PipelineClient> {
  const holder: { baseline?: Usage; call?: Omit<PipelineCall, 'text'> } = {};
  const stack = createLangChainStack({
    router: {
      tiers: [await chatTier(options.tiers, 'weak'), await chatTier(options.tiers, 'strong')],
      policy: options.policy(),
    },
    cache: new TokenomicsCache({ engine: options.engine, scope: { namespace: 'demo-langchain' } }),
    compression: { rate: options.compressionRate },
    recordedBaseline: () => holder.baseline,
    onCall: (report) => {
      holder.call = {
        cache: report.cache
          ? { decision: 'hit', kind: report.cache.kind, similarity: report.cache.similarity }
          : { decision: 'miss' },
        ...(report.compression ? { compression: report.compression } : {}),
        ...(report.route ? { route: report.route } : {}),
        record: report.record,
      };
    },
  });
  return {
    framework: 'langchain',
    async call(request, baseline) {
      holder.baseline = baseline;
      holder.call = undefined;
      const messages: BaseMessage[] = [
        new SystemMessage(request.system),
        ...request.turns.map((turn) =>
          turn.role === 'user' ? new HumanMessage(turn.text) : new AIMessage(turn.text),
        ),
      ];
      const message = await stack.model.invoke(messages, { cacheScope: { tenant: request.tenant } } as never);
      return { text: message.text, ...reported(holder, request) };
    },
  };
}

async function chatTier(tiers: TierChoice, which: 'weak' | 'strong') {
  const spec = tiers[which];
  const model = tiers.offline
    ? new OfflineChatModel({ book: tiers.books[which], model: spec.id })
    : new (await import('@langchain/openai')).ChatOpenAI({ model: spec.name, temperature: 0 });
  return { id: which, modelId: spec.id, model, ...(spec.price ? { price: spec.price } : {}) };
}

/** The stack's report of the call just made (its onCall hook ran before the call returned). */
function reported(
  holder: { call?: Omit<PipelineCall, 'text'> },
  request: PipelineRequest,
): Omit<PipelineCall, 'text'> {
  const call = holder.call;
  if (!call) throw new Error(`the pipeline reported no ledger record for ${request.id}`);
  return call;
}
