import { randomUUID } from 'node:crypto';
import {
  type CachedResponse,
  type CacheLookup,
  CostLedger,
  cascade,
  compressRequest,
  createRouter,
  createTrace,
  type DecisionTrace,
  type Embedder,
  estimateUsage,
  heuristicScorers,
  type LedgerRecord,
  responseText,
  SemanticCache,
  type TierAnswer,
  type TokenomicsRequest,
} from '@tokenomics/core';
import { addStep } from '@tokenomics/core/internal';
import { offlineTierAnswer } from './offline-tiers';
import { openAiTierAnswer } from './openai-tier-call';
import type { PlaygroundMode, PlaygroundTotals, PlaygroundTurn } from './playground-turn';

export type PlaygroundPipelineOptions = {
  mode: PlaygroundMode;
  /** Cheap and strong models, provider-qualified. Default gpt-4o-mini and gpt-4o. */
  cheapModel?: string;
  strongModel?: string;
  /** Enables semantic hits (reworded prompts); without it the cache matches exact prompts only. */
  embedder?: Embedder;
  /** Share of the changing context's tokens kept by the compressor. Default 1/3. */
  compressionRate?: number;
  /** Receives each turn's ledger record with its per-stage breakdown (e.g. to append to a file). */
  onRecord?: (
    record: Omit<LedgerRecord, 'savedByStage'> & { savedByStage: Record<string, { dollars: number }> },
  ) => void | Promise<void>;
};

export type PlaygroundPipeline = {
  mode: PlaygroundMode;
  run(prompt: string): Promise<PlaygroundTurn>;
  totals(): PlaygroundTotals;
};

/**
 * The stages the playground runs for a prompt, composed from core's engines: cache lookup,
 * compression, a cascade router over a cheap and a strong tier, cache store, ledger. A small
 * function on purpose, so a shared pipeline from core can replace it without touching the page.
 * The baseline of every turn is the uncompressed prompt sent to the strong model.
 */
export function createPlaygroundPipeline(options: PlaygroundPipelineOptions): PlaygroundPipeline {
  const cheapModel = options.cheapModel ?? 'openai:gpt-4o-mini';
  const strongModel = options.strongModel ?? 'openai:gpt-4o';
  const ledger = new CostLedger();
  const cache = new SemanticCache({
    embedder: options.embedder,
    onWarning: () => {},
  });
  const router = createRouter({
    tiers: [
      { id: 'cheap', model: cheapModel },
      { id: 'strong', model: strongModel },
    ],
    policy: cascade({ scorers: heuristicScorers() }),
    pricing: ledger.pricing,
    baselineTier: 'strong',
    seed: 7,
  });
  const callTier = (tier: { id: string }, request: TokenomicsRequest): Promise<TierAnswer> =>
    options.mode === 'openai' ? openAiTierAnswer(request) : offlineTierAnswer(request, tier.id === 'cheap');
  const turns: PlaygroundTurn[] = [];

  async function run(prompt: string): Promise<PlaygroundTurn> {
    const started = performance.now();
    const traceId = randomUUID();
    const request: TokenomicsRequest = {
      model: strongModel,
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      settings: { temperature: 0 },
    };
    const trace = createTrace(request, { id: traceId });
    const lookup = await cache.lookup(request);
    addStep(trace, lookup.trace);
    const turn =
      lookup.status === 'hit'
        ? await answerFromCache(request, lookup, traceId)
        : await answerFromModel(request, lookup, trace);
    const finished: PlaygroundTurn = {
      ...turn,
      id: traceId,
      prompt,
      mode: options.mode,
      steps: trace.steps,
      latencyMs: Math.round(performance.now() - started),
    };
    turns.push(finished);
    return finished;
  }

  async function answerFromCache(
    request: TokenomicsRequest,
    lookup: CacheLookup & { status: 'hit' },
    traceId: string,
  ) {
    const record = ledger.record({
      traceId,
      model: strongModel,
      stage: 'cache',
      spent: {},
      baseline: lookup.response.usage,
    });
    const savedByStage = { cache: record.saved.dollars, compression: 0, routing: 0 };
    await options.onRecord?.({ ...record, savedByStage: inLedgerShape(savedByStage) });
    return {
      answer: responseText(lookup.response),
      cache: lookup.kind === 'exact' ? ('exact hit' as const) : ('semantic hit' as const),
      model: String(lookup.response.metadata?.answeredBy ?? request.model),
      dollars: record.spent.dollars,
      baselineDollars: record.baseline.dollars,
      savedByStage,
    };
  }

  async function answerFromModel(request: TokenomicsRequest, lookup: CacheLookup, trace: DecisionTrace) {
    const traceId = trace.id;
    const compression = await compressRequest(request, { rate: options.compressionRate ?? 1 / 3 });
    addStep(trace, compression.trace);
    const routed = await router.run(compression.request, callTier, { trace });
    const answer = responseText(routed.answer);
    // The baseline: the prompt as the user wrote it, answered by the strong model.
    const baselineUsage = await estimateUsage(request, answer);
    const baseline = {
      inputTokens: baselineUsage.inputTokens,
      outputTokens: routed.answer.usage.outputTokens,
    };
    // The tier that answered is the record's call; the others (an escalated cheap attempt) are charged too.
    const answering = routed.usage.tiers.find((tier) => tier.tierId === routed.tier.id);
    const record = ledger.record({
      traceId,
      model: routed.tier.model,
      stage: routed.tier.id === 'cheap' ? 'router' : compression.ratio > 1 ? 'compression' : 'none',
      spent: answering?.usage ?? routed.answer.usage,
      additionalSpent: routed.usage.tiers
        .filter((tier) => tier !== answering)
        .map((tier) => ({ model: tier.model, usage: tier.usage })),
      baseline,
      baselineModel: strongModel,
    });
    const compressionSaved = ledger.pricing.cost(strongModel, {
      inputTokens: Math.max(0, compression.tokensBefore - compression.tokensAfter),
    });
    const savedByStage = {
      cache: 0,
      compression: compressionSaved,
      routing: record.saved.dollars - compressionSaved,
    };
    await options.onRecord?.({ ...record, savedByStage: inLedgerShape(savedByStage) });
    await storeAnswer(request, { ...routed.answer, usage: baseline }, routed.tier.model, lookup, trace);
    return {
      answer,
      cache: lookup.status === 'bypass' ? ('bypass' as const) : ('miss' as const),
      model: routed.tier.model,
      dollars: record.spent.dollars,
      baselineDollars: record.baseline.dollars,
      savedByStage,
    };
  }

  async function storeAnswer(
    request: TokenomicsRequest,
    answer: CachedResponse,
    model: string,
    lookup: CacheLookup,
    trace: DecisionTrace,
  ) {
    // Stored with the baseline's usage, so a later hit is credited with the unoptimized call it replaces.
    const stored = { ...answer, metadata: { ...answer.metadata, answeredBy: model } };
    const outcome = await cache.store(request, stored, {
      pending: lookup.status === 'miss' ? lookup.pending : undefined,
    });
    addStep(trace, outcome.trace);
  }

  return { mode: options.mode, run, totals: () => totalsOf(turns) };
}

/** The per-stage split as the pipeline's ledger records write it (`savedByStage.cache.dollars`). */
function inLedgerShape(saved: PlaygroundTurn['savedByStage']): Record<string, { dollars: number }> {
  return Object.fromEntries(Object.entries(saved).map(([stage, dollars]) => [stage, { dollars }]));
}

function totalsOf(turns: readonly PlaygroundTurn[]): PlaygroundTotals {
  const totals: PlaygroundTotals = {
    turns: turns.length,
    dollars: 0,
    baselineDollars: 0,
    savedByStage: { cache: 0, compression: 0, routing: 0 },
    running: [],
  };
  for (const turn of turns) {
    totals.dollars += turn.dollars;
    totals.baselineDollars += turn.baselineDollars;
    for (const stage of ['cache', 'compression', 'routing'] as const)
      totals.savedByStage[stage] += turn.savedByStage[stage];
    totals.running.push({
      turn: totals.running.length + 1,
      dollars: totals.dollars,
      baselineDollars: totals.baselineDollars,
    });
  }
  return totals;
}
