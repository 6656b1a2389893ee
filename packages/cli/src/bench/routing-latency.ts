import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BanditStateStore,
  cascade,
  classifierPrior,
  contextualBandit,
  createRouter,
  HnswVectorIndex,
  heuristicScorers,
  loadRouterPrior,
  MemoryBanditStateStore,
  OutcomeMemory,
  type RoutePolicy,
  type RouterEngine,
  type RouterPrior,
  SqliteBanditStateStore,
  type Tier,
  UseLiteEmbedder,
  type VectorIndex,
} from '@tokenomics/core';
import { routeEmbeddingText } from '@tokenomics/core/internal';
import { percentile } from '../metrics';
import { measureMs } from './measure';
import { randomUnitVector } from './random-vectors';
import {
  type RoutingLatencyPrompt,
  type RoutingLatencyPromptKind,
  routingLatencyPrompts,
} from './routing-latency-prompts';
import type { TargetCheck } from './targets';

/** The target: routing decision overhead, embedding excluded. */
export const DECISION_P50_TARGET_MS = 0.5;

export type RoutingLatencyRow = {
  /** Stable key, e.g. `classifier:onnx`, `bandit:thompson:sqlite`, `outcome-memory:10000`. */
  name: string;
  /** What was timed, in words. */
  policy: string;
  /** Timed decisions (after the warm-up). */
  decisions: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** One decision after another on one thread: 1000 / mean. */
  decisionsPerSecond: number;
  /** p50 per kind of prompt: feature extraction grows with the prompt. */
  p50MsByKind: Record<RoutingLatencyPromptKind, number>;
  /**
   * Bandit rows: calls to the state store during the warm-up (the first decision loads the
   * statistics) and during the timed decisions.
   */
  storeCalls?: { warmup: StoreCalls; timed: StoreCalls };
  target: TargetCheck;
};

export type RoutingLatencyOptions = {
  /** Timed decisions per policy. */
  decisions: number;
  /**
   * Untimed decisions per policy first (JIT, the prior's first call, the bandit's state load);
   * at most 50 for the OutcomeMemory rows.
   */
  warmup: number;
  /** Outcomes per tier held by the OutcomeMemory rows. */
  memorySizes: readonly number[];
  /** Timed decisions for the OutcomeMemory rows (each costs an exact search of the memory). */
  memoryDecisions: number;
  /** 'use-lite': the prompts' real USE-lite embeddings; 'random': random 512-d unit vectors (no model load). */
  embeddings: 'use-lite' | 'random';
  /** Outcomes the bandits learn (through the SQLite or memory store) before they are timed. */
  banditTrainingOutcomes?: number;
  onRow?: (row: RoutingLatencyRow) => void;
  onProgress?: (message: string) => void;
};

export type RoutingLatencyResult = {
  prompts: Record<RoutingLatencyPromptKind, number>;
  embeddings: 'use-lite' | 'random';
  embeddingDimensions: number;
  /** The runtime of the shipped prior used by the bandit and cascade rows. */
  priorRuntime: 'onnx' | 'typescript';
  rows: RoutingLatencyRow[];
  /** Policies this run could not time (e.g. no onnxruntime-node), with why. */
  skipped: Array<{ name: string; reason: string }>;
};

const DIMENSIONS = 512;
const MEMORY_WARMUP = 50;
const SEED = 11;
/** Two tiers, like the shipped prior: GPT-4o mini and GPT-4o at list prices. */
const TIERS: Tier[] = [
  { id: 'cheap', model: 'openai:gpt-4o-mini', price: { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
  { id: 'strong', model: 'openai:gpt-4o', price: { inputPerMillion: 2.5, outputPerMillion: 10 } },
];

type BuiltPolicy = { policy: RoutePolicy; store?: CountingStore; close?: () => Promise<void> };

type PolicyCase = {
  name: string;
  policy: string;
  /** A policy to time, or why this run cannot time it. */
  build(): Promise<BuiltPolicy | { skipped: string }>;
  decisions?: number;
  warmup?: number;
};

/**
 * Times `engine.decide(request, { embedding })` of the core router for each policy: feature
 * extraction, the policy's decision, the trace and the decision record, with the request's
 * embedding computed beforehand (the embedding is the cost the cache shares, and the target
 * excludes it). Each policy gets a warm-up, then the prompts in a fixed rotation.
 */
export async function runRoutingLatency(options: RoutingLatencyOptions): Promise<RoutingLatencyResult> {
  const prompts = routingLatencyPrompts();
  const embeddings = await promptEmbeddings(prompts, options.embeddings);
  const typescriptPrior = await loadRouterPrior({ runtime: 'typescript' });
  const onnxPrior = await loadOnnxPrior();
  const prior = onnxPrior ?? typescriptPrior;
  const temporary = await mkdtemp(join(tmpdir(), 'tokenomics-routing-latency-'));
  const training = options.banditTrainingOutcomes ?? 500;

  const bandit = (algorithm: 'thompson' | 'linucb', storeKind: 'memory' | 'sqlite'): PolicyCase => ({
    name: `bandit:${algorithm}:${storeKind}`,
    policy: `contextualBandit ${algorithm}, shipped prior (${prior.runtime}), ${storeKind === 'memory' ? 'MemoryBanditStateStore' : 'SqliteBanditStateStore (temp file)'}, ${training} outcomes learned`,
    async build() {
      const inner: BanditStateStore =
        storeKind === 'memory'
          ? new MemoryBanditStateStore()
          : await SqliteBanditStateStore.open(join(temporary, `bandit-${algorithm}.sqlite`));
      const id = `latency-${algorithm}`;
      await teachBandit(
        contextualBandit({ algorithm, prior: prior.prior, store: inner, id }),
        prompts,
        embeddings,
        training,
      );
      // A new policy on the same store, as after a restart: its first decision loads the statistics.
      const store = countingStore(inner);
      return {
        policy: contextualBandit({ algorithm, prior: prior.prior, store, id }),
        store,
        close: async () => inner.close?.(),
      };
    },
  });

  const cases: PolicyCase[] = [
    {
      name: 'classifier:onnx',
      policy: 'classifierPrior, shipped prior, ONNX runtime (onnxruntime-node)',
      build: async () => {
        if (!onnxPrior)
          return { skipped: 'onnxruntime-node is not installed (npm install onnxruntime-node to time it)' };
        return { policy: classifierPrior({ prior: onnxPrior.prior }) };
      },
    },
    {
      name: 'classifier:typescript',
      policy: 'classifierPrior, shipped prior, TypeScript forward pass',
      build: async () => ({ policy: classifierPrior({ prior: typescriptPrior.prior }) }),
    },
    bandit('thompson', 'memory'),
    bandit('thompson', 'sqlite'),
    bandit('linucb', 'memory'),
    bandit('linucb', 'sqlite'),
    {
      name: 'cascade',
      policy: 'cascade (decide step: start on the cheap tier), heuristic scorers',
      build: async () => ({ policy: cascade({ scorers: heuristicScorers() }) }),
    },
    {
      name: 'cascade:prior-skip',
      policy: `cascade (decide step), shipped prior (${prior.runtime}) skips to strong below 0.3`,
      build: async () => ({
        policy: cascade({ scorers: heuristicScorers(), prior: prior.prior, skipBelow: 0.3 }),
      }),
    },
    ...options.memorySizes.flatMap((size): PolicyCase[] =>
      (['exact', 'hnsw'] as const).map((search) => ({
        name: search === 'exact' ? `outcome-memory:${size}` : `outcome-memory:hnsw:${size}`,
        policy: `classifierPrior on OutcomeMemory.prior(cheap, strong), ${size.toLocaleString('en-US')} outcomes per tier, ${search === 'exact' ? 'exact search (default index)' : 'HnswVectorIndex (usearch, f16)'}`,
        decisions: options.memoryDecisions,
        // The engine is warm by now; each of these decisions searches the memory twice (one per tier).
        warmup: Math.min(options.warmup, MEMORY_WARMUP),
        build: async () => {
          let memory: OutcomeMemory;
          try {
            memory = await filledMemory(size, search === 'hnsw' ? new HnswVectorIndex() : undefined);
          } catch (error) {
            // The approximate index needs the optional package usearch.
            return { skipped: error instanceof Error ? error.message : String(error) };
          }
          return { policy: classifierPrior({ prior: memory.prior('cheap', 'strong'), threshold: 0.9 }) };
        },
      })),
    ),
  ];

  const rows: RoutingLatencyRow[] = [];
  const skipped: RoutingLatencyResult['skipped'] = [];
  try {
    for (const policyCase of cases) {
      options.onProgress?.(`${policyCase.name}: preparing`);
      const built = await policyCase.build();
      if ('skipped' in built) {
        skipped.push({ name: policyCase.name, reason: built.skipped });
        options.onProgress?.(`${policyCase.name}: skipped (${built.skipped})`);
        continue;
      }
      try {
        const engine = createRouter({ tiers: TIERS, policy: built.policy, seed: SEED });
        const row = await timeDecisions(engine, prompts, embeddings, {
          name: policyCase.name,
          policy: policyCase.policy,
          decisions: policyCase.decisions ?? options.decisions,
          warmup: policyCase.warmup ?? options.warmup,
          store: built.store,
        });
        rows.push(row);
        options.onRow?.(row);
      } finally {
        await built.close?.();
      }
    }
  } finally {
    await onnxPrior?.close();
    await typescriptPrior.close();
    await rm(temporary, { recursive: true, force: true });
  }
  const counts = { chat: 0, rag: 0, code: 0, math: 0 };
  for (const prompt of prompts) counts[prompt.kind]++;
  return {
    prompts: counts,
    embeddings: options.embeddings,
    embeddingDimensions: DIMENSIONS,
    priorRuntime: prior.runtime,
    rows,
    skipped,
  };
}

/** PASS when the row's median decision is within the 0.5 ms. */
export function decisionTarget(row: Pick<RoutingLatencyRow, 'name' | 'p50Ms'>): TargetCheck {
  return {
    target: `decision p50 ≤ ${DECISION_P50_TARGET_MS} ms (${row.name})`,
    measured: `${row.p50Ms.toFixed(4)} ms`,
    status: row.p50Ms <= DECISION_P50_TARGET_MS ? 'PASS' : 'MISS',
  };
}

async function timeDecisions(
  engine: RouterEngine,
  prompts: readonly RoutingLatencyPrompt[],
  embeddings: readonly Float32Array[],
  settings: { name: string; policy: string; decisions: number; warmup: number; store?: CountingStore },
): Promise<RoutingLatencyRow> {
  const decide = (run: number) => {
    const index = run % prompts.length;
    return engine.decide(prompts[index]!.request, { embedding: embeddings[index]! });
  };
  settings.store?.reset();
  for (let run = 0; run < settings.warmup; run++) await decide(run);
  const warmupCalls = settings.store ? { ...settings.store.calls } : undefined;
  settings.store?.reset();
  const samples = await measureMs(decide, { runs: settings.decisions });
  const byKind: Record<RoutingLatencyPromptKind, number[]> = { chat: [], rag: [], code: [], math: [] };
  for (const [run, ms] of samples.entries()) byKind[prompts[run % prompts.length]!.kind].push(ms);
  const meanMs = samples.reduce((sum, ms) => sum + ms, 0) / samples.length;
  const p50Ms = percentile(samples, 50);
  const row: RoutingLatencyRow = {
    name: settings.name,
    policy: settings.policy,
    decisions: samples.length,
    p50Ms,
    p90Ms: percentile(samples, 90),
    p99Ms: percentile(samples, 99),
    meanMs,
    decisionsPerSecond: 1000 / meanMs,
    p50MsByKind: {
      chat: kindMedian(byKind.chat),
      rag: kindMedian(byKind.rag),
      code: kindMedian(byKind.code),
      math: kindMedian(byKind.math),
    },
    target: decisionTarget({ name: settings.name, p50Ms }),
  };
  if (settings.store && warmupCalls)
    row.storeCalls = { warmup: warmupCalls, timed: { ...settings.store.calls } };
  return row;
}

function kindMedian(samples: number[]): number {
  return samples.length > 0 ? percentile(samples, 50) : Number.NaN;
}

async function promptEmbeddings(
  prompts: readonly RoutingLatencyPrompt[],
  kind: 'use-lite' | 'random',
): Promise<Float32Array[]> {
  if (kind === 'random') return prompts.map((_, index) => randomUnitVector(DIMENSIONS, SEED, index));
  const embedder = new UseLiteEmbedder();
  return embedder.embed(prompts.map((prompt) => routeEmbeddingText(prompt.request)));
}

async function loadOnnxPrior(): Promise<RouterPrior | undefined> {
  try {
    return await loadRouterPrior({ runtime: 'onnx' });
  } catch {
    // Reported as a skipped row; the TypeScript fallback needs nothing.
    return undefined;
  }
}

/** Learns `outcomes` outcomes through the engine, so the timed bandit starts from real statistics. */
async function teachBandit(
  policy: RoutePolicy,
  prompts: readonly RoutingLatencyPrompt[],
  embeddings: readonly Float32Array[],
  outcomes: number,
): Promise<void> {
  const engine = createRouter({ tiers: TIERS, policy, seed: SEED + 1 });
  for (let step = 0; step < outcomes; step++) {
    const index = step % prompts.length;
    const decision = await engine.decide(prompts[index]!.request, { embedding: embeddings[index]! });
    // The cheap tier does well on chat and retrieval, worse on math and code; the strong tier on all.
    const kind = prompts[index]!.kind;
    const cheapGood = kind === 'chat' || kind === 'rag' ? step % 10 !== 0 : step % 3 === 0;
    const quality = decision.tier.id === 'strong' || cheapGood ? 1 : 0;
    await engine.observe(decision.traceId, { tierId: decision.tier.id, quality });
  }
}

/** An OutcomeMemory holding `size` outcomes for each of the two tiers (random unit vectors, seeded). */
async function filledMemory(size: number, index?: VectorIndex): Promise<OutcomeMemory> {
  const memory = new OutcomeMemory({ capacity: Math.max(size, 1), ...(index ? { index } : {}) });
  for (let item = 0; item < size; item++) {
    const vector = randomUnitVector(DIMENSIONS, SEED + 2, item);
    await memory.record(vector, 'strong', item % 10 === 0 ? 0 : 1);
    await memory.record(vector, 'cheap', item % 3 === 0 ? 0 : 1);
  }
  return memory;
}

type StoreCalls = { load: number; update: number };

type CountingStore = BanditStateStore & {
  calls: StoreCalls;
  reset(): void;
};

/** Counts what the bandit asks of its store, to tell whether a decision touches it. */
function countingStore(inner: BanditStateStore): CountingStore {
  const calls = { load: 0, update: 0 };
  return {
    calls,
    reset() {
      calls.load = 0;
      calls.update = 0;
    },
    load(banditId) {
      calls.load++;
      return inner.load(banditId);
    },
    update(banditId, apply) {
      calls.update++;
      return inner.update(banditId, apply);
    },
  };
}
