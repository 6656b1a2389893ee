import type { TraceStep } from '@tokenomics/core';

/** What the playground shows for one prompt. Plain JSON, sent to the page as is. */
export type PlaygroundTurn = {
  id: string;
  prompt: string;
  answer: string;
  /** 'offline' when the answers come from the stand-in, 'openai' when from the API. */
  mode: PlaygroundMode;
  cache: 'exact hit' | 'semantic hit' | 'miss' | 'bypass';
  /** The model that answered (for a cache hit, the model the stored answer came from). */
  model: string;
  dollars: number;
  baselineDollars: number;
  /** Dollars saved by each stage on this turn; negative when an escalation cost more. */
  savedByStage: { cache: number; compression: number; routing: number };
  /** Every stage's decision and why, in order. */
  steps: TraceStep[];
  latencyMs: number;
};

export type PlaygroundMode = 'offline' | 'openai';

/** Totals over the session, and the running series the savings chart draws. */
export type PlaygroundTotals = {
  turns: number;
  dollars: number;
  baselineDollars: number;
  savedByStage: PlaygroundTurn['savedByStage'];
  running: Array<{ turn: number; dollars: number; baselineDollars: number }>;
};
