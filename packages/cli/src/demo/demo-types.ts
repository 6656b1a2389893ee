import type { Usage } from '@tokenomics/core';
import type { WorkloadRequest } from './workload';

export type Framework = 'langchain' | 'ai-sdk';

/** What one framework call through the cache returned. */
export type CallOutcome = {
  decision: 'hit' | 'miss' | 'bypass';
  kind?: 'exact' | 'semantic';
  similarity?: number;
  text: string;
  /** Miss: what the model reported. Hit: what the call that produced the stored answer used. */
  usage: Usage;
};

/** One request of the demo, as printed and totalled. */
export type DemoRow = {
  framework: Framework;
  request: WorkloadRequest;
  outcome: CallOutcome;
  latencyMs: number;
  /** Topic of the answer served on a hit (undefined when it cannot be told). */
  servedTopic?: string;
  wrongHit: boolean;
  spentTokens: number;
  savedTokens: number;
  spentDollars: number;
  savedDollars: number;
  baselineDollars: number;
};

export type DemoTotals = {
  requests: number;
  hits: number;
  exactHits: number;
  semanticHits: number;
  hitRate: number;
  wrongHits: number;
  baselineDollars: number;
  spentDollars: number;
  savedDollars: number;
  baselineTokens: number;
  spentTokens: number;
  savedTokens: number;
};
