import { join } from 'node:path';
import { fillCosts } from '../../packages/cli/src/bench/routing/fill-costs';
import { importRouteLlm } from '../../packages/cli/src/bench/routing/import-routellm';
import { importRouterBench } from '../../packages/cli/src/bench/routing/import-routerbench';
import type { ReplayRecord } from '../../packages/cli/src/bench/routing/replay-record';
import {
  averageGapRecovered,
  callPerformanceThreshold,
  type RoutingItem,
  routingCurve,
} from '../../packages/cli/src/bench/routing/routing-metrics';

export const STRONG = 'gpt-4-1106-preview';
export const WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';

/** RouterBench's name for the same weak model (Mixtral 8x7B instruct/chat). */
const ROUTERBENCH_WEAK = 'mistralai/mixtral-8x7b-chat';

export const FAMILIES = ['mmlu', 'gsm8k', 'arc-challenge', 'mbpp'] as const;
export type Family = (typeof FAMILIES)[number];

export type TrainingRecord = ReplayRecord & { dataset: Family };

/** RouteLLM's MMLU (group = subject) and GSM8K (group = 'gsm8k'), contaminated prompts dropped, costs filled. */
export async function loadRouteLlmTraining(datasets: string): Promise<TrainingRecord[]> {
  const folder = join(datasets, 'routing', 'routellm');
  const gsm8k = importRouteLlm(join(folder, 'gsm8k'));
  const mmlu = importRouteLlm(join(folder, 'mmlu'));
  await fillCosts(gsm8k);
  await fillCosts(mmlu);
  return [
    ...mmlu.records.map((record) => ({ ...record, dataset: 'mmlu' as const })),
    ...gsm8k.records.map((record) => ({ ...record, group: 'gsm8k', dataset: 'gsm8k' as const })),
  ];
}

/**
 * Every task family with the GPT-4 / Mixtral pair's recorded correctness: RouteLLM's MMLU and
 * GSM8K, and RouterBench's ARC-Challenge and MBPP (train and test files together; rows without
 * both models' results dropped), with the RouterBench model names mapped to RouteLLM's.
 */
export async function loadFamilies(
  datasets: string,
  options: { families?: readonly Family[]; mmluSample?: number; random?: () => number } = {},
): Promise<TrainingRecord[]> {
  const families = options.families ?? FAMILIES;
  const routeLlm = (await loadRouteLlmTraining(datasets)).filter((record) =>
    families.includes(record.dataset),
  );
  const records = sampleMmlu(routeLlm, options.mmluSample, options.random ?? Math.random);
  const routerBench = importRouterBench(join(datasets, 'routing', 'routerbench'));
  for (const record of routerBench.records) {
    const family = record.group as Family | undefined;
    const weak = record.models[ROUTERBENCH_WEAK];
    const strong = record.models[STRONG];
    if (!family || !families.includes(family) || !weak || !strong) continue;
    records.push({ ...record, group: family, dataset: family, models: { [WEAK]: weak, [STRONG]: strong } });
  }
  return records;
}

/** Keeps `size` MMLU prompts (a seeded shuffle, every subject in proportion on average), the rest as they are. */
function sampleMmlu(
  records: TrainingRecord[],
  size: number | undefined,
  random: () => number,
): TrainingRecord[] {
  const mmlu = records.filter((record) => record.dataset === 'mmlu');
  if (size === undefined || size >= mmlu.length) return records;
  for (let index = mmlu.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [mmlu[index], mmlu[other]] = [mmlu[other]!, mmlu[index]!];
  }
  const kept = new Set(mmlu.slice(0, size));
  return records.filter((record) => record.dataset !== 'mmlu' || kept.has(record));
}

export type RoutingScore = { n: number; apgr: number; cpt50: number | null; cpt80: number | null };

/** APGR / CPT of routing by `accept` (low = strong first) on the given records. */
export function routingScore(records: readonly ReplayRecord[], accept: ArrayLike<number>): RoutingScore {
  const { items, weakQuality, strongQuality } = weakStrongItems(records, accept, Number.NEGATIVE_INFINITY);
  const curve = routingCurve(items);
  return {
    n: items.length,
    apgr: round(averageGapRecovered(curve, weakQuality, strongQuality)),
    cpt50: roundOrNull(callPerformanceThreshold(curve, weakQuality, strongQuality, 0.5)),
    cpt80: roundOrNull(callPerformanceThreshold(curve, weakQuality, strongQuality, 0.8)),
  };
}

/**
 * The weak/strong pair's routing items for `records` scored by `accept`, and each model's mean
 * correctness. `skip`: -Infinity routes directly (an escalated request never calls the weak model),
 * +Infinity is a cascade (the weak model is always called first).
 */
export function weakStrongItems(
  records: readonly ReplayRecord[],
  accept: ArrayLike<number>,
  skip: number,
): { items: RoutingItem[]; weakQuality: number; strongQuality: number } {
  const items = records.map((record, index) => ({
    accept: accept[index]!,
    skip,
    weak: { correct: record.models[WEAK]!.correct, cost: record.models[WEAK]!.cost ?? 0 },
    strong: { correct: record.models[STRONG]!.correct, cost: record.models[STRONG]!.cost ?? 0 },
  }));
  const weakQuality = items.reduce((sum, item) => sum + item.weak.correct, 0) / items.length;
  const strongQuality = items.reduce((sum, item) => sum + item.strong.correct, 0) / items.length;
  return { items, weakQuality, strongQuality };
}

export { areaUnderRoc } from '../../packages/cli/src/metrics/area-under-roc';

export function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

/** A share as a percentage with one decimal, '—' when there is none (model cards). */
export function pct(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
