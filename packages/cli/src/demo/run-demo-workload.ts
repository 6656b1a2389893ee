import { randomUUID } from 'node:crypto';
import { type CacheEngine, CostLedger, totalTokens } from '@tokenomics/core';
import { createAiSdkClient } from './ai-sdk-client';
import type { AnswerTopics } from './answer-topics';
import type { CallOutcome, DemoRow, DemoTotals, Framework } from './demo-types';
import { createLangChainClient } from './langchain-client';
import type { ModelChoice } from './model-choice';
import type { Workload, WorkloadRequest } from './workload';

export type DemoWorkloadOptions = {
  workload: Workload;
  engine: CacheEngine;
  model: ModelChoice;
  frameworks: readonly Framework[];
  answers: AnswerTopics;
  /** Called as each request finishes, to print it. */
  onRow?: (row: DemoRow) => void;
};

export type DemoWorkloadResult = {
  rows: DemoRow[];
  totals: DemoTotals;
  byFramework: Partial<Record<Framework, DemoTotals>>;
};

type Client = { framework: Framework; call(request: WorkloadRequest): Promise<CallOutcome> };

/**
 * Runs the workload through each framework in turn on one cache engine, and accounts every
 * request in the core cost ledger: a miss spends what the model reported; a hit spends nothing
 * and its baseline is the real usage of the call that produced the stored answer.
 */
export async function runDemoWorkload(options: DemoWorkloadOptions): Promise<DemoWorkloadResult> {
  const ledger = new CostLedger();
  const rows: DemoRow[] = [];
  for (const framework of options.frameworks) {
    const client: Client =
      framework === 'langchain' ? await createLangChainClient(options) : await createAiSdkClient(options);
    for (const request of options.workload.requests) {
      const startedAt = performance.now();
      const outcome = await client.call(request);
      const latencyMs = performance.now() - startedAt;
      const hit = outcome.decision === 'hit';
      if (!hit) options.answers.remember(outcome.text, request.topic);
      const record = ledger.record({
        traceId: randomUUID(),
        model: options.model.pricedAs,
        stage: hit ? 'cache' : 'none',
        spent: hit ? {} : outcome.usage,
        baseline: outcome.usage,
        scope: { tenant: request.tenant, namespace: framework },
      });
      const servedTopic = hit ? options.answers.topicOf(outcome.text) : undefined;
      const row: DemoRow = {
        framework,
        request,
        outcome,
        latencyMs,
        servedTopic,
        // An answer whose topic cannot be told is counted as wrong: a demo must not vouch for it.
        wrongHit: hit && servedTopic !== request.topic,
        spentTokens: record.spent.tokens,
        savedTokens: record.saved.tokens,
        spentDollars: record.spent.dollars,
        savedDollars: record.saved.dollars,
        baselineDollars: record.baseline.dollars,
      };
      rows.push(row);
      options.onRow?.(row);
    }
  }
  const byFramework: Partial<Record<Framework, DemoTotals>> = {};
  for (const framework of options.frameworks)
    byFramework[framework] = totalsOf(rows.filter((row) => row.framework === framework));
  return { rows, totals: totalsOf(rows), byFramework };
}

export function totalsOf(rows: readonly DemoRow[]): DemoTotals {
  const hits = rows.filter((row) => row.outcome.decision === 'hit');
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    requests: rows.length,
    hits: hits.length,
    exactHits: hits.filter((row) => row.outcome.kind === 'exact').length,
    semanticHits: hits.filter((row) => row.outcome.kind === 'semantic').length,
    hitRate: rows.length === 0 ? 0 : hits.length / rows.length,
    wrongHits: rows.filter((row) => row.wrongHit).length,
    baselineDollars: sum(rows.map((row) => row.baselineDollars)),
    spentDollars: sum(rows.map((row) => row.spentDollars)),
    savedDollars: sum(rows.map((row) => row.savedDollars)),
    baselineTokens: sum(rows.map((row) => totalTokens(row.outcome.usage))),
    spentTokens: sum(rows.map((row) => row.spentTokens)),
    savedTokens: sum(rows.map((row) => row.savedTokens)),
  };
}
