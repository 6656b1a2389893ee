import { classifierPrior, fixed, loadRouterPrior, type RoutePolicy } from '@tokenomics/core';
import type { AnswerTopics } from '../answer-topics';
import type { Workload } from '../workload';
import type { TierChoice } from './pipeline-clients';
import type { PipelineRequest } from './pipeline-workload';
import { RECORDED_PRICES, STRONG_MODEL, WEAK_MODEL } from './routing-sample';
import { type BaselineCall, recordedStrongUsage } from './run-pipeline-demo';
import { standInTiers } from './stand-in-tiers';

/**
 * Offline tiers stand in for the recorded pair (priced at the RouteLLM paper's rates), so the
 * routing questions get real models' recorded answers; every known answer is registered so a
 * cache hit can be judged.
 */
export function offlineTiers(
  workload: Workload,
  requests: readonly PipelineRequest[],
  answers: AnswerTopics,
): Extract<TierChoice, { offline: true }> {
  const books = standInTiers(workload, requests);
  for (const request of requests) {
    answers.remember(books.answerOf(request, 'weak'), request.topic);
    answers.remember(books.answerOf(request, 'strong'), request.topic);
  }
  return {
    offline: true,
    books,
    weak: { name: WEAK_MODEL, id: 'offline:mixtral-8x7b-instruct', price: RECORDED_PRICES.weak },
    strong: { name: STRONG_MODEL, id: 'offline:gpt-4-1106-preview', price: RECORDED_PRICES.strong },
  };
}

/** The always-strong baseline offline: the strong tier's (recorded) answer to the uncompressed prompt. */
export function offlineBaseline(tiers: Extract<TierChoice, { offline: true }>) {
  return async (request: PipelineRequest): Promise<BaselineCall> => ({
    usage: await recordedStrongUsage(request, tiers.books.answerOf(request, 'strong'), 'openai:gpt-4'),
  });
}

/**
 * The shipped router prior (P(the weak tier's answer is right)), 0.5 threshold; prompts unlike its
 * training data go to the strong tier. Falls back to always-strong when the model cannot load.
 */
export async function routerPolicy(onNote: (note: string) => void): Promise<() => RoutePolicy> {
  try {
    const prior = await loadRouterPrior();
    onNote(
      `router: shipped prior (${prior.runtime}) with threshold 0.5; prompts unlike its training data go to the strong tier`,
    );
    return () => classifierPrior({ prior: prior.prior, threshold: 0.5 });
  } catch (error) {
    onNote(`router: the shipped prior could not load (${String(error)}); every call goes to the strong tier`);
    return () => fixed('strong');
  }
}
