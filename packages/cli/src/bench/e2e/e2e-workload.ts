import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeQuestion, readLabelledPairs, splitByQuestion } from '../../datasets';
import { DatasetError } from '../../datasets/dataset-error';
import { nqPrompts } from '../compression/compression-datasets';
import { ROUTELLM_PRICES } from '../routing/import-routellm';
import { loadRoutingData } from '../routing/load-routing-data';
import type { ModelPrice, ReplayRecord } from '../routing/replay-record';
import { seededUniform } from '../seeded-uniform';

/** The two tiers every request is replayed on: the recorded strong and weak model of its family. */
export type TierRole = 'strong' | 'weak';

/** What one real model answered to one request, as recorded. */
export type RecordedAnswer = {
  model: string;
  price: ModelPrice;
  /** 1 when the recorded answer was right. */
  correct: number;
  /** The recorded answer text, when the data has it. */
  response?: string;
  /** Output tokens: counted from the recorded answer, else estimated (see `outputTokensEstimated`). */
  outputTokens?: number;
};

export type E2eSource = 'routing' | 'repeat' | 'paraphrase' | 'long-context';

/** One request of the replay workload. */
export type E2eRequest = {
  /** Same id = same question (a repeat carries its original's id). */
  id: string;
  source: E2eSource;
  /** The task family: mmlu, gsm8k, arc-challenge, mbpp, llmrouter, qqp or nq. */
  family: string;
  system?: string;
  user: string;
  answers: Record<TierRole, RecordedAnswer>;
  /**
   * Long-context requests have no recorded answers: they count right when a gold answer is still
   * in the prompt the model received (answer retention, the compression bench's offline metric).
   */
  goldAnswers?: string[];
  /** The question the compressor must keep (the end of the user message). */
  question?: string;
};

export type E2eWorkload = {
  requests: E2eRequest[];
  /** Normalized QQP question pairs labelled duplicate (`a\u0000b`, both orders). */
  duplicates: Set<string>;
  /** The routing records by family, for training the priors (all rows, not only those sampled). */
  families: Map<string, ReplayRecord[]>;
  pairOf: Map<string, { strong: string; weak: string; prices: Record<string, ModelPrice> }>;
  notes: string[];
};

export type WorkloadOptions = {
  /** The shared datasets folder (`../shared/datasets`). */
  dataDir: string;
  /** Requests in the workload. */
  size: number;
  seed: number;
};

/** Shares of the workload by source (repeats come from the routing and paraphrase requests). */
export const WORKLOAD_SHARES = { routing: 0.45, repeat: 0.1, paraphrase: 0.3, longContext: 0.15 } as const;

const ROUTING_FAMILIES: Array<{
  family: string;
  path: string;
  group?: string;
  strong: string;
  weak: string;
}> = [
  {
    family: 'mmlu',
    path: 'routing/routellm/mmlu',
    strong: 'gpt-4-1106-preview',
    weak: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
  },
  {
    family: 'gsm8k',
    path: 'routing/routellm/gsm8k',
    strong: 'gpt-4-1106-preview',
    weak: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
  },
  {
    family: 'arc-challenge',
    path: 'routing/routerbench',
    group: 'arc-challenge',
    strong: 'gpt-4-1106-preview',
    weak: 'mistralai/mixtral-8x7b-chat',
  },
  {
    family: 'mbpp',
    path: 'routing/routerbench',
    group: 'mbpp',
    strong: 'gpt-4-1106-preview',
    weak: 'mistralai/mixtral-8x7b-chat',
  },
  {
    family: 'llmrouter',
    path: 'routing/llmrouter',
    strong: 'llama-3.3-nemotron-super-49b-v1',
    weak: 'gemma-2-9b-it',
  },
];

/** The files the workload reads, relative to the datasets folder. */
export const WORKLOAD_FILES = [
  'routing/routellm/mmlu',
  'routing/routellm/gsm8k',
  'routing/routerbench',
  'routing/llmrouter',
  'cache/qqp/pairs.jsonl.gz',
  'compression/lost-in-the-middle/nq-open-oracle.jsonl.gz',
];

/**
 * Builds the replay workload: recorded routing requests of five task families, QQP question pairs
 * from the test split by question (the first asked, its pair later: a duplicate or a look-alike),
 * exact repeats, and NaturalQuestions prompts of 20 documents. Seeded: the same options give the
 * same requests in the same order.
 */
export async function buildE2eWorkload(options: WorkloadOptions): Promise<E2eWorkload> {
  for (const file of WORKLOAD_FILES) {
    if (!existsSync(join(options.dataDir, file)))
      throw new DatasetError(`${join(options.dataDir, file)} not found (pass --data-dir)`);
  }
  const random = seededUniform(options.seed);
  const notes: string[] = [];
  const { families, pairOf } = loadFamilies(options.dataDir);
  const counts = shareCounts(options.size);

  const firsts: E2eRequest[] = [];
  const familyNames = [...families.keys()];
  const perFamily = Math.ceil(counts.routing / familyNames.length);
  const routing: E2eRequest[] = [];
  for (const family of familyNames) {
    const usable = families.get(family)!.filter((record) => hasPair(record, pairOf.get(family)!));
    for (const record of sample(usable, perFamily, random)) {
      routing.push(routingRequest(record, family, pairOf.get(family)!));
    }
  }
  firsts.push(...routing.slice(0, counts.routing));

  const { pairs, duplicates } = await qqpTestPairs(options.dataDir, counts.paraphrase / 2, random);
  const donors = routing.filter((request) => request.family !== 'llmrouter');
  const seconds: Array<{ request: E2eRequest; after: string }> = [];
  for (const pair of pairs) {
    const first = qqpRequest(pair.a, donors, random);
    firsts.push(first);
    seconds.push({ request: qqpRequest(pair.b, donors, random), after: first.id });
  }
  notes.push(
    `paraphrases: ${pairs.length} QQP test-split pairs (${pairs.filter((pair) => pair.label === 1).length} duplicates); each QQP question borrows the recorded answers (correctness, output tokens, models) of a seeded random routing request: QQP has no recorded answers`,
  );

  const nqRows = nqPrompts(join(options.dataDir, 'compression'), {
    docs: 20,
    limit: counts.longContext,
    offset: Math.floor(random() * 2000),
    distractors: 'other',
  });
  for (const prompt of nqRows) {
    const donor = pick(donors, random);
    firsts.push({
      id: prompt.id,
      source: 'long-context',
      family: 'nq',
      system: prompt.instruction,
      user: `${prompt.context}\n\n${prompt.question}`,
      question: prompt.question,
      goldAnswers: prompt.answers,
      answers: {
        strong: { ...donor.answers.strong, correct: 1 },
        weak: { ...donor.answers.weak, correct: 1 },
      },
    });
  }
  notes.push(
    'long-context: NaturalQuestions with 20 documents; right when a gold answer is still in the prompt the model received (either tier: no model answers are recorded for them)',
  );

  const requests = shuffle(firsts, random);
  for (const { request, after } of seconds) insertAfter(requests, request, after, random);
  const repeatable = requests.filter((request) => request.source !== 'long-context');
  for (let index = 0; index < counts.repeat && repeatable.length > 0; index++) {
    const original = pick(repeatable, random);
    insertAfter(requests, { ...original, source: 'repeat' }, original.id, random);
  }
  return { requests, duplicates, families, pairOf, notes };
}

function loadFamilies(dataDir: string) {
  const families = new Map<string, ReplayRecord[]>();
  const pairOf = new Map<string, { strong: string; weak: string; prices: Record<string, ModelPrice> }>();
  const loaded = new Map<string, ReturnType<typeof loadRoutingData>>();
  for (const family of ROUTING_FAMILIES) {
    let dataset = loaded.get(family.path);
    if (!dataset) {
      dataset = loadRoutingData(join(dataDir, family.path));
      loaded.set(family.path, dataset);
    }
    const records = family.group
      ? dataset.records.filter((record) => record.group === family.group)
      : dataset.records;
    if (records.length === 0) throw new DatasetError(`no ${family.family} records in ${family.path}`);
    families.set(family.family, records);
    pairOf.set(family.family, {
      strong: family.strong,
      weak: family.weak,
      prices: {
        ...dataset.prices,
        ...ROUTELLM_PRICES,
        'mistralai/mixtral-8x7b-chat': ROUTELLM_PRICES['mistralai/Mixtral-8x7B-Instruct-v0.1']!,
      },
    });
  }
  return { families, pairOf };
}

function hasPair(record: ReplayRecord, pair: { strong: string; weak: string }): boolean {
  return record.models[pair.strong] !== undefined && record.models[pair.weak] !== undefined;
}

function routingRequest(
  record: ReplayRecord,
  family: string,
  pair: { strong: string; weak: string; prices: Record<string, ModelPrice> },
): E2eRequest {
  const answer = (model: string): RecordedAnswer => {
    const outcome = record.models[model]!;
    return {
      model,
      price: pair.prices[model] ?? { inputPerMillion: 0, outputPerMillion: 0 },
      correct: outcome.correct >= 0.5 ? 1 : 0,
      ...(outcome.response !== undefined ? { response: outcome.response } : {}),
    };
  };
  return {
    id: `${family}:${record.id}`,
    source: 'routing',
    family,
    user: record.prompt,
    answers: { strong: answer(pair.strong), weak: answer(pair.weak) },
  };
}

function qqpRequest(question: string, donors: readonly E2eRequest[], random: () => number): E2eRequest {
  const donor = pick(donors, random);
  return {
    id: `qqp:${normalizeQuestion(question)}`,
    source: 'paraphrase',
    family: 'qqp',
    user: question,
    answers: donor.answers,
  };
}

async function qqpTestPairs(dataDir: string, count: number, random: () => number) {
  const all = await readLabelledPairs(join(dataDir, 'cache/qqp/pairs.jsonl.gz'));
  // The split `bench cache --split test` uses: the shipped verifier never saw these questions.
  const test = splitByQuestion(all).test;
  const pairs = sample(test, Math.floor(count), random);
  const duplicates = new Set<string>();
  for (const pair of test) {
    if (pair.label !== 1) continue;
    const a = normalizeQuestion(pair.a);
    const b = normalizeQuestion(pair.b);
    duplicates.add(`${a}\u0000${b}`);
    duplicates.add(`${b}\u0000${a}`);
  }
  return { pairs, duplicates };
}

function shareCounts(size: number) {
  const routing = Math.round(size * WORKLOAD_SHARES.routing);
  const repeat = Math.round(size * WORKLOAD_SHARES.repeat);
  const paraphrase = 2 * Math.round((size * WORKLOAD_SHARES.paraphrase) / 2);
  const longContext = Math.max(0, size - routing - repeat - paraphrase);
  return { routing, repeat, paraphrase, longContext };
}

function sample<Item>(items: readonly Item[], count: number, random: () => number): Item[] {
  return shuffle(items, random).slice(0, count);
}

function pick<Item>(items: readonly Item[], random: () => number): Item {
  return items[Math.floor(random() * items.length)]!;
}

function shuffle<Item>(items: readonly Item[], random: () => number): Item[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/** Inserts a follow-up at a random place after the first request with id `after`. */
function insertAfter(requests: E2eRequest[], request: E2eRequest, after: string, random: () => number): void {
  const position = requests.findIndex((other) => other.id === after);
  const start = position + 1;
  requests.splice(start + Math.floor(random() * (requests.length - start + 1)), 0, request);
}

/** Whether two QQP requests ask the same question, by the pairs' human labels. */
export function isDuplicate(workload: Pick<E2eWorkload, 'duplicates'>, a: string, b: string): boolean {
  return workload.duplicates.has(`${a}\u0000${b}`);
}
