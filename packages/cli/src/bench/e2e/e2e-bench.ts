import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  cacheMiddleware,
  compressionMiddleware,
  createRouterModel,
  getCacheMetadata,
} from '@tokenomics/ai-sdk';
import {
  classifierPrior,
  type Embedder,
  getTokenCounter,
  loadOutputLengthPredictor,
  SemanticCache,
} from '@tokenomics/core';
import { extractRouteFeatures } from '@tokenomics/core/internal';
import { generateText, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';
import { type E2eRequest, type E2eWorkload, isDuplicate, type TierRole } from './e2e-workload';
import type { FamilyPriors } from './family-priors';
import {
  type ReplayBook,
  type ReplayCall,
  type ReplayMetadata,
  replayLanguageModel,
  requestFinder,
} from './replay-language-model';
import {
  addQuality,
  finishReport,
  newTotals,
  type RunReport,
  type StageSavings,
  type Totals,
} from './run-totals';

/** Which stages a run turns on. */
export type RunConfig = {
  name: string;
  cache?: boolean;
  compression?: boolean;
  routing?: boolean;
  /** The cache passes a close but rejected candidate to the model as context. */
  nearMatchContext?: boolean;
};

export const E2E_RUNS: RunConfig[] = [
  { name: 'cache only', cache: true },
  { name: 'compression only', compression: true },
  { name: 'routing only', routing: true },
  { name: 'all stages', cache: true, compression: true, routing: true },
  {
    name: 'all stages + near-match context',
    cache: true,
    compression: true,
    routing: true,
    nearMatchContext: true,
  },
];

export type E2eOptions = {
  embedder: Embedder;
  priors: FamilyPriors;
  /** Share of requests the router sends to the strong model (its threshold follows it). */
  strongShare: number;
  /** Compression's target: share of a long prompt's tokens to keep. */
  compressionRate: number;
  /** Similarity from which a rejected cache candidate is passed as context. */
  nearMatchSimilarity: number;
  runs?: RunConfig[];
  onProgress?: (done: number, total: number) => void;
};

export type E2eReport = {
  n: number;
  baseline: { quality: number; cost: number; qualityBySource: Record<string, number> };
  runs: RunReport[];
};

/**
 * Replays the workload through always-strong and each configured stack (each run starts with an
 * empty cache and a fresh router), and scores every answer: recorded correctness for a model call;
 * for a cache hit, right only when the served answer was right and answered the same question (an
 * exact repeat, or a QQP pair labelled duplicate).
 */
export async function runE2eBench(workload: E2eWorkload, options: E2eOptions): Promise<E2eReport> {
  const counter = await getTokenCounter();
  fillOutputTokens(workload.requests, counter.count);
  const shared: Shared = {
    find: requestFinder(workload.requests),
    countTokens: counter.count,
    baselineCosts: new Map(),
  };
  const configs = [{ name: 'always strong' }, ...(options.runs ?? E2E_RUNS)];
  const runs = configs.map((config) => startRun(workload, config, options, shared));
  // Each request goes through every stack in turn (always-strong first, for the baseline cost), so
  // a change in the machine's load affects every run alike.
  for (const [index, request] of workload.requests.entries()) {
    for (const run of runs) await replayRequest(run, request);
    options.onProgress?.(index + 1, workload.requests.length);
  }
  const reports: RunReport[] = [];
  for (const run of runs) {
    await run.close();
    reports.push(finishReport(run.config.name, run.totals, run.latencies));
  }
  const [baseline, ...rest] = reports;
  return {
    n: workload.requests.length,
    baseline: {
      quality: baseline!.quality,
      cost: baseline!.cost,
      qualityBySource: baseline!.qualityBySource,
    },
    runs: rest,
  };
}

type Shared = {
  find: (user: string) => E2eRequest | undefined;
  countTokens: (text: string) => number;
  /** Filled by the always-strong run, read by the others. */
  baselineCosts: Map<E2eRequest, number>;
};

type Run = {
  config: RunConfig;
  workload: E2eWorkload;
  shared: Shared;
  book: ReplayBook;
  model: LanguageModelV4;
  close: () => Promise<void>;
  /** What this run's first answer to each question was worth: a cache hit serves it again. */
  answered: Map<string, number>;
  totals: Totals;
  latencies: { wallMs: number[]; cpuMs: number[] };
};

function startRun(workload: E2eWorkload, config: RunConfig, options: E2eOptions, shared: Shared): Run {
  const answered = new Map<string, number>();
  const book: ReplayBook = {
    find: shared.find,
    countTokens: shared.countTokens,
    calls: [],
    judgeWithContext: (request, _answer, context) =>
      judgeNearMatch(workload, shared.find, answered, request, context),
  };
  const { model, close } = buildStack(config, book, options);
  return {
    config,
    workload,
    shared,
    book,
    model,
    close,
    answered,
    totals: newTotals(),
    latencies: { wallMs: [], cpuMs: [] },
  };
}

async function replayRequest(run: Run, request: E2eRequest): Promise<void> {
  const { book, totals, workload, shared } = run;
  const callsBefore = book.calls.length;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await generateText({
    model: run.model,
    ...(request.system ? { system: request.system } : {}),
    prompt: request.user,
    temperature: 0,
  });
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const calls = book.calls.slice(callsBefore);
  const inCalls = calls.reduce((sum, call) => sum + call.ms, 0);
  run.latencies.wallMs.push(Math.max(0, elapsed - inCalls));
  run.latencies.cpuMs.push(Math.max(0, (cpu.user + cpu.system) / 1000 - inCalls));
  const cost = calls.reduce((sum, call) => sum + call.dollars, 0);
  if (run.config.name === 'always strong') shared.baselineCosts.set(request, cost);
  const replay = result.providerMetadata?.replay as ReplayMetadata | undefined;
  if (!replay)
    throw new Error(`run "${run.config.name}": request ${request.id} came back without a replay record`);
  const hit = getCacheMetadata(result.providerMetadata)?.cached === true;
  const correct = hit ? servedCorrectness(workload, replay, request) : replay.correct;
  if (!hit && !run.answered.has(request.id)) run.answered.set(request.id, replay.correct);
  if (hit && !sameQuestion(workload, replay.id, request.id)) totals.wrongCacheHits++;
  const baselineCost = shared.baselineCosts.get(request) ?? cost;
  const saved = stageSavings(request, calls, baselineCost, cost);
  totals.saved.cache += saved.cache;
  totals.saved.compression += saved.compression;
  totals.saved.routing += saved.routing;
  totals.cost += cost;
  totals.baselineCost += baselineCost;
  totals.cacheHits += hit ? 1 : 0;
  for (const call of calls) totals.calls[call.tier]++;
  addQuality(totals, request.source, correct);
}

/**
 * Splits what a request saved against always-strong: a hit saves it all (cache); otherwise the
 * near-match context's tokens are the cache's cost, the strong model's price of what was actually
 * sent (context aside) against the full prompt is compression's saving, and the tier's price
 * against the strong model's for the same prompt is routing's.
 */
function stageSavings(
  request: E2eRequest,
  calls: readonly ReplayCall[],
  baselineCost: number,
  cost: number,
): StageSavings {
  if (calls.length === 0) return { cache: baselineCost - cost, compression: 0, routing: 0 };
  const strong = request.answers.strong;
  const strongCost = (inputTokens: number) =>
    (inputTokens * strong.price.inputPerMillion +
      (strong.outputTokens ?? 0) * strong.price.outputPerMillion) /
    1e6;
  const strongOnSent = calls.reduce((sum, call) => sum + strongCost(call.inputTokens), 0);
  const contextCost = calls.reduce(
    (sum, call) => sum + (call.contextTokens * strong.price.inputPerMillion) / 1e6,
    0,
  );
  return {
    cache: -contextCost,
    compression: baselineCost - (strongOnSent - contextCost),
    routing: strongOnSent - cost,
  };
}

function buildStack(
  config: RunConfig,
  book: ReplayBook,
  options: E2eOptions,
): { model: LanguageModelV4; close: () => Promise<void> } {
  const strong = replayLanguageModel('strong', book);
  const weak = replayLanguageModel('weak', book);
  const inner: LanguageModelV4 = config.routing
    ? createRouterModel({
        tiers: [
          { model: weak, id: 'weak', price: { inputPerMillion: 0.24, outputPerMillion: 0.24 } },
          { model: strong, id: 'strong', price: { inputPerMillion: 24.7, outputPerMillion: 24.7 } },
        ],
        policy: classifierPrior({
          prior: options.priors.prior,
          targetStrongShare: options.strongShare,
          calibrationPriors: options.priors.calibration,
        }),
      })
    : strong;
  const middleware: LanguageModelMiddleware[] = [];
  let engine: SemanticCache | undefined;
  if (config.cache) {
    engine = new SemanticCache({
      embedder: options.embedder,
      ...(config.nearMatchContext ? { nearMatch: { minSimilarity: options.nearMatchSimilarity } } : {}),
      onWarning: () => {},
    });
    middleware.push(
      cacheMiddleware({
        engine,
        coalesce: false,
        ...(config.nearMatchContext ? { nearMatchContext: true } : {}),
      }),
    );
  }
  // Inside the cache: the cache keys the prompt as the caller wrote it, and a hit skips compression.
  if (config.compression) middleware.push(compressionMiddleware({ rate: options.compressionRate }));
  const model = middleware.length > 0 ? wrapLanguageModel({ model: inner, middleware }) : inner;
  return { model, close: async () => engine?.close() };
}

/** A served answer is right when it was right and answered the same question. */
function servedCorrectness(workload: E2eWorkload, served: ReplayMetadata, request: E2eRequest): number {
  return sameQuestion(workload, served.id, request.id) ? served.correct : 0;
}

function sameQuestion(workload: E2eWorkload, servedId: string, requestId: string): boolean {
  if (servedId === requestId) return true;
  if (!servedId.startsWith('qqp:') || !requestId.startsWith('qqp:')) return false;
  return isDuplicate(workload, servedId.slice(4), requestId.slice(4));
}

/**
 * With near-match context, a model can reuse the earlier answer when it answers this question:
 * counted right when the earlier question is a labelled duplicate whose answer was right. Otherwise
 * the recorded answer stands (the replay cannot tell whether a wrong context misleads a model).
 */
function judgeNearMatch(
  workload: E2eWorkload,
  find: (user: string) => E2eRequest | undefined,
  answered: Map<string, number>,
  request: E2eRequest,
  system: string,
): number | undefined {
  const earlier = earlierQuestion(system);
  if (earlier === undefined) return undefined;
  const earlierRequest = find(earlier);
  if (!earlierRequest) return undefined;
  return sameQuestion(workload, earlierRequest.id, request.id) && answered.get(earlierRequest.id) === 1
    ? 1
    : undefined;
}

/** The earlier question a near-match context block quotes (see `nearMatchContextText`). */
function earlierQuestion(system: string): string | undefined {
  const match = /<earlier-question>\n([\s\S]*?)\n<\/earlier-question>/.exec(system);
  return match?.[1];
}

/** Output tokens of every recorded answer: counted from its text, else the output-length model's estimate. */
function fillOutputTokens(requests: readonly E2eRequest[], count: (text: string) => number): void {
  const predictor = loadOutputLengthPredictor();
  for (const request of requests) {
    for (const role of ['strong', 'weak'] as TierRole[]) {
      const answer = request.answers[role];
      if (answer.outputTokens !== undefined) continue;
      answer.outputTokens =
        answer.response !== undefined
          ? count(answer.response)
          : predictor.predict(
              extractRouteFeatures({
                model: answer.model,
                messages: [{ role: 'user', content: [{ type: 'text', text: request.user }] }],
              }),
              { frontier: role === 'strong' && answer.model.startsWith('gpt-4') },
            );
    }
  }
}
