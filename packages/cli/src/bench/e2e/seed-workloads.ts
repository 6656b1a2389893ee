import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  cacheMiddleware,
  compressionMiddleware,
  createRouterModel,
  getCacheMetadata,
  getCompressionMetadata,
  getRouteMetadata,
} from '@tokenomics/ai-sdk';
import {
  classifierPrior,
  createPricing,
  type Embedder,
  loadRouterPrior,
  SemanticCache,
  type Usage,
} from '@tokenomics/core';
import { generateText, wrapLanguageModel } from 'ai';
import { DatasetError } from '../../datasets/dataset-error';
import { answerBook, offlineLanguageModel } from '../../stand-in';

export const SEED_WORKLOAD_FILES = ['synthetic_accuracy_50.json', 'workloads_v0.json'];
const WEAK = 'openai:gpt-4o-mini';
const STRONG = 'openai:gpt-4o';

type SeedPrompt = { id: string; category: string; prompt: string; expected_strategy?: string };

export type SeedRequestOutcome = {
  id: string;
  category: string;
  expectedStrategy?: string;
  decision: 'cache-hit' | 'weak' | 'strong';
  compressed: boolean;
  dollars: number;
  baselineDollars: number;
};

export type SeedWorkloadReport = {
  file: string;
  mode: 'openai' | 'offline-stand-in';
  n: number;
  baseline: { cost: number };
  optimized: {
    cost: number;
    costShare: number;
    cacheHits: number;
    weakCalls: number;
    strongCalls: number;
    compressedCalls: number;
  };
  requests: SeedRequestOutcome[];
};

/** What a run of the seed workloads can and cannot show, printed and written with it. */
export function seedConclusion(mode: SeedWorkloadReport['mode']): string {
  return mode === 'offline-stand-in'
    ? 'Offline (no OPENAI_API_KEY): the answers are stand-in text, so there is NO quality claim. What these runs show is what each stage decided on these prompts (which were served from the cache, which the router sent to the cheap tier, which were compressed) and the dollars those decisions imply at the two models’ list prices, with output tokens counted on the stand-in’s short answers — not what the same prompts cost with real answers, and not whether the cheap tier’s answers would have been good enough. The files carry no reference answers; their expected strategy is the Python project’s own label.'
    : 'With OpenAI: dollars are those of real calls (baseline run side by side); the files carry no reference answers, so answer quality is not scored here — read the answers, or use the recorded-answer workload (bench e2e without --workload) for quality.';
}

/**
 * Runs the Python project's two workload files through the same AI SDK stack as the replay
 * benchmark (cache and compression around the router: gpt-4o-mini and gpt-4o), and through
 * gpt-4o alone as the baseline: with OpenAI when `OPENAI_API_KEY` is set, else with the offline
 * stand-in. The router uses the shipped prior (never trained on these prompts).
 */
export async function runSeedWorkloads(options: {
  folder: string;
  embedder: Embedder;
  apiKey?: string | undefined;
}): Promise<SeedWorkloadReport[]> {
  const mode = options.apiKey ? 'openai' : 'offline-stand-in';
  const models = await seedModels(mode);
  const prior = await loadRouterPrior({ runtime: 'typescript' });
  const pricing = createPricing();
  const reports: SeedWorkloadReport[] = [];
  for (const file of SEED_WORKLOAD_FILES) {
    const prompts = readSeedPrompts(join(options.folder, file));
    const engine = new SemanticCache({ embedder: options.embedder, onWarning: () => {} });
    const router = createRouterModel({
      tiers: [
        { model: models.weak, id: 'weak', modelId: WEAK },
        { model: models.strong, id: 'strong', modelId: STRONG },
      ],
      policy: classifierPrior({ prior: prior.prior }),
    });
    const optimized = wrapLanguageModel({
      model: router,
      middleware: [cacheMiddleware({ engine, coalesce: false }), compressionMiddleware({ rate: 0.5 })],
    });
    const requests: SeedRequestOutcome[] = [];
    for (const prompt of prompts) {
      const baseline = await generateText({ model: models.strong, prompt: prompt.prompt, temperature: 0 });
      const result = await generateText({ model: optimized, prompt: prompt.prompt, temperature: 0 });
      const hit = getCacheMetadata(result.providerMetadata)?.cached === true;
      const route = getRouteMetadata(result.providerMetadata);
      requests.push({
        id: prompt.id,
        category: prompt.category,
        ...(prompt.expected_strategy ? { expectedStrategy: prompt.expected_strategy } : {}),
        decision: hit ? 'cache-hit' : route?.route.tier === 'weak' ? 'weak' : 'strong',
        compressed: (getCompressionMetadata(result.providerMetadata)?.methods.length ?? 0) > 0,
        dollars: hit ? 0 : pricing.cost(route?.route.tier === 'weak' ? WEAK : STRONG, usageOf(result.usage)),
        baselineDollars: pricing.cost(STRONG, usageOf(baseline.usage)),
      });
    }
    await engine.close();
    reports.push(summarize(file, mode, requests));
  }
  return reports;
}

async function seedModels(
  mode: SeedWorkloadReport['mode'],
): Promise<{ weak: LanguageModelV4; strong: LanguageModelV4 }> {
  if (mode === 'openai') {
    const { openai } = await import('@ai-sdk/openai');
    return { weak: openai('gpt-4o-mini') as LanguageModelV4, strong: openai('gpt-4o') as LanguageModelV4 };
  }
  const book = answerBook(new Map());
  return {
    weak: offlineLanguageModel({ book, model: WEAK }),
    strong: offlineLanguageModel({ book, model: STRONG }),
  };
}

function readSeedPrompts(file: string): SeedPrompt[] {
  let parsed: { prompts?: SeedPrompt[] };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { prompts?: SeedPrompt[] };
  } catch (error) {
    throw new DatasetError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed.prompts)) throw new DatasetError(`${file} has no "prompts" array`);
  return parsed.prompts;
}

function usageOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): Usage {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

function summarize(
  file: string,
  mode: SeedWorkloadReport['mode'],
  requests: SeedRequestOutcome[],
): SeedWorkloadReport {
  const cost = requests.reduce((sum, request) => sum + request.dollars, 0);
  const baselineCost = requests.reduce((sum, request) => sum + request.baselineDollars, 0);
  const count = (decision: SeedRequestOutcome['decision']) =>
    requests.filter((request) => request.decision === decision).length;
  return {
    file,
    mode,
    n: requests.length,
    baseline: { cost: baselineCost },
    optimized: {
      cost,
      costShare: baselineCost > 0 ? cost / baselineCost : 0,
      cacheHits: count('cache-hit'),
      weakCalls: count('weak'),
      strongCalls: count('strong'),
      compressedCalls: requests.filter((request) => request.compressed).length,
    },
    requests,
  };
}
