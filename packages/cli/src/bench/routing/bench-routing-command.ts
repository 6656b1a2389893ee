import { readFileSync } from 'node:fs';
import {
  contextualBandit,
  loadRouterPrior,
  type NeighbourBanditOptions,
  neighbourBandit,
  type RoutePrior,
  RouterModelUnavailableError,
} from '@tokenomics/core';
import { formatOptions, parseArguments, UsageError } from '../../args';
import type { CommandIo } from '../../commands/command-io';
import { formatTable, writeJsonFile } from '../../output';
import { fillCosts } from './fill-costs';
import { loadRoutingData } from './load-routing-data';
import {
  FEEDBACK_CHOICES,
  type FeedbackChoice,
  isFeedbackChoice,
  type OnlineReport,
  onlineFrontier,
  runOnlineBench,
} from './online-bench';
import { parsePrices } from './parse-prices';
import { embedPrompts } from './prompt-embeddings';
import { qualityShares } from './quality-shares';
import { type ReplayRecord, ROUTING_FORMATS, type RoutingDataset, type RoutingFormat } from './replay-record';
import { type TwoTierReport, twoTierReport } from './two-tier-report';

const options = {
  data: {
    type: 'string',
    description: 'Replay JSONL, RouteLLM CSV(s), RouterBench CSV or LLMRouter JSON (file or folder)',
    valueName: 'path',
  },
  format: {
    type: 'string',
    description: `Input format: ${ROUTING_FORMATS.join('|')} (default: detected)`,
    valueName: 'name',
  },
  strong: {
    type: 'string',
    description: 'Strong model (default: the most accurate on the data)',
    valueName: 'model',
  },
  weak: { type: 'string', description: 'Weak model (default: the cheapest other model)', valueName: 'model' },
  prices: {
    type: 'string',
    description: 'Prices per million tokens: JSON (file or inline) or model=24.7,model=0.24',
    valueName: 'prices',
  },
  outputTokens: {
    type: 'number',
    description: 'Output tokens assumed when a response is not recorded',
    default: 0,
    min: 0,
  },
  folds: { type: 'number', description: 'Cross-validation folds for learned policies', default: 5, min: 2 },
  seed: { type: 'number', description: 'Seed for folds, training and the online order', default: 7 },
  label: {
    type: 'string',
    description: "Prior's label: weak-correct or weak-not-worse",
    default: 'weak-correct',
    valueName: 'label',
  },
  noEmbeddings: {
    type: 'boolean',
    description: 'Classifier on lexical features only (no USE-lite embedding)',
  },
  embeddingCache: {
    type: 'string',
    description: 'Folder of cached prompt embeddings',
    default: '.tokenomics/routing-embeddings',
    valueName: 'dir',
  },
  online: {
    type: 'boolean',
    description: 'Also replay online: the bandit sees only the chosen model outcome',
  },
  models: {
    type: 'string',
    description: "Online models: 'all' or a comma-separated list (default: strong,weak)",
    valueName: 'list',
  },
  onlinePolicy: {
    type: 'string',
    description:
      'Online learner: neighbours (per request, from the graded outcomes of the nearest past requests; the default with embeddings) or thompson (linear; the default without)',
    valueName: 'name',
  },
  group: {
    type: 'string',
    description: 'Keep only the requests of this group (a RouterBench task family, an MMLU subject)',
    valueName: 'name',
  },
  banditPrior: {
    type: 'boolean',
    description:
      'Start the online bandit from the shipped prior (not on RouteLLM or RouterBench data: it was trained on them)',
  },
  costWeight: {
    type: 'number',
    description: 'λ of the online reward (quality − λ · relative cost)',
    default: 0.3,
    min: 0,
  },
  lambda: {
    type: 'string',
    description: 'Online: a comma-separated list of λ values; each is replayed for the frontier',
    valueName: 'list',
  },
  feedbackRate: {
    type: 'string',
    description:
      'Online: share of requests whose outcome the bandit learns (default 1); a comma-separated list adds frontier points',
    valueName: 'list',
  },
  feedbackChoice: {
    type: 'string',
    description:
      'Online: which requests are graded: random (each with probability --feedback-rate, as user ratings) or exploring-first (a judge with that budget grades the exploring requests first)',
    valueName: 'random|exploring-first',
  },
  seeds: {
    type: 'number-list',
    description:
      'Online: a comma-separated list of seeds; each frontier point is their mean (default: --seed)',
    valueName: 'list',
  },
  modelPrior: {
    type: 'string',
    description:
      "Online (neighbours): each model's quality as a share of the strong one's before any grade: 'other-groups' (the records of the groups --group leaves out) or JSON {model: share} (file or inline)",
    valueName: 'source',
  },
  minOutcomes: {
    type: 'number',
    description: 'Online (neighbours): graded outcomes a model needs before it serves other than to explore',
    min: 0,
  },
  explorationShare: {
    type: 'number',
    description: 'Online (neighbours): most share of requests sent to a model without that evidence',
    min: 0,
    max: 1,
  },
  maxExplorationShare: {
    type: 'number',
    description:
      'Online (neighbours): most share of requests that explore as feedback gets sparse (the exploring share grows to explorationShare ÷ the observed feedback rate)',
    min: 0,
    max: 1,
  },
  exploit: {
    type: 'string',
    description:
      'Online (neighbours): what a request that does not explore goes to: sample (best Thompson sample) or mean (best expected reward)',
    valueName: 'sample|mean',
  },
  shareDifficulty: {
    type: 'string',
    description:
      "Online (neighbours): on or off: every model's outcomes on similar requests move the others' estimates (difficulty, log-odds)",
    valueName: 'on|off',
  },
  neighbourStrength: {
    type: 'number',
    description:
      "Online (neighbours): how many outcomes a model's overall record is worth against its outcomes on similar requests",
    min: 0,
  },
  costBudget: {
    type: 'number',
    description:
      "Online (neighbours): a spending target instead of a fixed λ: about this share of the strong model's estimated dollars on average (a target, not a cap); λ starts at --lambda and moves after each decision",
    min: 0,
    max: 1,
  },
  budgetStep: {
    type: 'number',
    description:
      'Online (neighbours, with --cost-budget): how far λ moves per decision per unit of overspend',
    min: 0,
  },
  maxCostWeight: {
    type: 'number',
    description: 'Online (neighbours, with --cost-budget): the most λ reaches',
    min: 0,
  },
  priorStrength: {
    type: 'number',
    description: "Online (neighbours): how many outcomes a model's starting expectation is worth",
    min: 0,
  },
  exploreInShadow: {
    type: 'boolean',
    description:
      'Online (neighbours, with --feedback-choice exploring-first): an exploring request is served by the strong model, and the explored one is called beside it and graded (exploring costs dollars, not quality)',
  },
  json: { type: 'string', description: 'Also write the results as JSON to this file', valueName: 'file' },
} as const;

export const benchRoutingHelp = `Usage: tokenomics bench routing --data PATH [--strong M --weak M] [--online] [--json FILE]

Replays recorded answers of real models and scores routing policies on them: random, prompt
length, the classifier prior (cross-validated on this data: random folds and whole groups held
out), cascades with each answer scorer the data allows, combined, and the bounds always-weak,
always-strong and oracle. For each: APGR, CPT(50%), CPT(80%) (RouteLLM's definitions), the
quality-vs-dollars curve, and dollars at strong quality as a share of always-strong's. --online
replays the requests in a seeded order through the contextual bandit, which sees only the outcome
of the model it chose.

Options:
${formatOptions(options)}`;

export async function benchRoutingCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { options: parsed, help } = parseArguments(argv, options);
  if (help) {
    io.out(benchRoutingHelp);
    return 0;
  }
  if (!parsed.data) throw new UsageError('--data is required');
  if (parsed.format && !(ROUTING_FORMATS as readonly string[]).includes(parsed.format)) {
    throw new UsageError(`--format must be one of ${ROUTING_FORMATS.join(', ')}`);
  }
  if (parsed.label !== 'weak-correct' && parsed.label !== 'weak-not-worse') {
    throw new UsageError('--label must be weak-correct or weak-not-worse');
  }
  const dataset = loadRoutingData(parsed.data, parsed.format as RoutingFormat | undefined);
  const allRecords = dataset.records;
  if (parsed.group) {
    dataset.records = dataset.records.filter((record) => record.group === parsed.group);
    if (dataset.records.length === 0) throw new UsageError(`no request of group "${parsed.group}"`);
    dataset.notes.push(`only group ${parsed.group}: ${dataset.records.length} requests`);
  }
  const costNotes = await fillCosts(dataset, {
    ...(parsed.prices ? { prices: parsePrices(parsed.prices) } : {}),
    assumedOutputTokens: parsed.outputTokens ?? 0,
  });
  const notes = [...dataset.notes, ...costNotes];
  const byCost = modelsByCost(dataset);
  const strong = parsed.strong ?? bestModel(dataset, byCost);
  const weak = parsed.weak ?? byCost.find((model) => model !== strong)!;
  for (const model of [strong, weak]) {
    if (!byCost.includes(model))
      throw new UsageError(`model "${model}" is not in the data (${byCost.join(', ')})`);
  }

  let embeddings: Map<string, Float32Array> | undefined;
  if (!parsed.noEmbeddings) {
    const started = Date.now();
    embeddings = await embedPrompts(
      dataset.records.map((record) => record.prompt),
      {
        folder: parsed.embeddingCache!,
        onProgress: (done, total) => {
          if (done === total || done % 640 === 0) {
            io.err(
              `embedding prompts: ${done}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s; cached for next time)`,
            );
          }
        },
      },
    );
  }
  // The shipped prior was trained on RouteLLM's MMLU and GSM8K and RouterBench's ARC and MBPP:
  // scored as-is only on other data.
  let shippedPrior: Parameters<typeof twoTierReport>[1]['shippedPrior'];
  if (dataset.format !== 'routellm' && dataset.format !== 'routerbench') {
    try {
      const prior = await loadRouterPrior({ runtime: 'typescript' });
      shippedPrior = {
        predict: (features) => prior.predict(features),
        description: `shipped prior as-is (trained on RouteLLM MMLU + GSM8K and RouterBench ARC + MBPP, never on this data; prompts outside its coverage get its neutral prior)${embeddings ? '' : '; lexical network (no embeddings)'}`,
      };
    } catch (error) {
      if (!RouterModelUnavailableError.isInstance(error)) throw error;
      notes.push(`shipped prior not scored: ${error.message}`);
    }
  } else
    notes.push(
      `classifier:shipped is not scored on ${dataset.format} data: the shipped prior was trained on it`,
    );
  const report = await twoTierReport(dataset.records, {
    ...(shippedPrior ? { shippedPrior } : {}),
    strong,
    weak,
    seed: parsed.seed!,
    folds: parsed.folds!,
    label: parsed.label,
    ...(embeddings ? { embeddings } : {}),
  });
  notes.push(...report.notes);
  io.out(formatTwoTier(report));

  let online: OnlineReport | undefined;
  let learner:
    | { policy: string; feedbackChoice: FeedbackChoice; settingsGiven?: NeighbourBanditOptions }
    | undefined;
  if (parsed.online) {
    const models =
      parsed.models === undefined
        ? [weak, strong]
        : parsed.models === 'all'
          ? byCost
          : parsed.models.split(',').map((model) => model.trim());
    for (const model of models) {
      if (!byCost.includes(model))
        throw new UsageError(`model "${model}" is not in the data (${byCost.join(', ')})`);
    }
    let banditPrior: RoutePrior | undefined;
    if (parsed.banditPrior) {
      if (dataset.format === 'routellm' || dataset.format === 'routerbench')
        throw new UsageError(`--bandit-prior: the shipped prior was trained on ${dataset.format} data`);
      banditPrior = (await loadRouterPrior({ runtime: 'typescript' })).prior;
    }
    const neighbourOptions = neighbourSettings(parsed, {
      strong,
      models,
      records: allRecords,
      ...(parsed.group ? { group: parsed.group } : {}),
    });
    if (neighbourOptions.qualityShares)
      notes.push(
        `online model prior (quality as a share of ${strong}'s): ${JSON.stringify(neighbourOptions.qualityShares)}`,
      );
    const policyName = parsed.onlinePolicy ?? (embeddings ? 'neighbours' : 'thompson');
    const neighbourOnly = NEIGHBOUR_FLAGS.filter(
      (flag) => parsed[flag] !== undefined && parsed[flag] !== false,
    );
    if (policyName !== 'neighbours' && neighbourOnly.length > 0)
      throw new UsageError(
        `${neighbourOnly.map(flagName).join(', ')} ${neighbourOnly.length > 1 ? 'configure' : 'configures'} the neighbours learner, but this run replays ${policyName} (--online-policy neighbours; it is the default only with embeddings)`,
      );
    const feedbackChoice = feedbackChoiceOf(parsed.feedbackChoice);
    if (parsed.exploreInShadow && feedbackChoice !== 'exploring-first')
      throw new UsageError(
        '--explore-in-shadow needs --feedback-choice exploring-first: a shadow answer goes to a judge, not to the user',
      );
    learner = {
      policy: policyName,
      feedbackChoice,
      ...(policyName === 'neighbours' ? { settingsGiven: neighbourOptions } : {}),
    };
    const onlineOptions = {
      feedbackChoice: learner.feedbackChoice,
      ...(banditPrior ? { prior: banditPrior } : {}),
      models,
      ...(models.includes(strong) ? { strong } : {}),
      seed: parsed.seed!,
      createPolicy: ({ costWeight, prior }: { costWeight: number; prior?: RoutePrior }) =>
        onlinePolicy(policyName, {
          ...neighbourOptions,
          costWeight,
          ...(prior ? { prior } : {}),
        }),
      ...(embeddings ? { embeddings } : {}),
    };
    const lambdas = numberList(parsed.lambda, 'lambda') ?? [parsed.costWeight!];
    const rates = numberList(parsed.feedbackRate, 'feedback-rate') ?? [1];
    // The headline fields: the first λ and feedback rate given.
    online = await runOnlineBench(dataset.records, {
      ...onlineOptions,
      costWeight: lambdas[0]!,
      feedbackRate: rates[0]!,
    });
    const seeds = parsed.seeds ?? [parsed.seed!];
    if (lambdas.length > 1 || rates.length > 1 || seeds.length > 1) {
      online.frontier = await onlineFrontier(dataset.records, onlineOptions, lambdas, rates, seeds);
    }
    io.out(formatOnline(online));
  }
  if (notes.length > 0) io.out(`\nNotes:\n${notes.map((note) => `  - ${note}`).join('\n')}`);
  if (parsed.json) {
    await writeJsonFile(parsed.json, {
      data: parsed.data,
      format: dataset.format,
      seed: parsed.seed,
      folds: parsed.folds,
      embeddings: embeddings ? 'use-lite-512' : 'none',
      ...report,
      notes,
      command: `tokenomics bench routing ${argv.join(' ')}`.trim(),
      // The learner's settings as given on the command line; those not listed are the library defaults.
      ...(online ? { online: { ...online, learner } } : {}),
    });
    io.err(`wrote ${parsed.json}`);
  }
  return 0;
}

function feedbackChoiceOf(flag: string | undefined): FeedbackChoice {
  const choice = flag ?? 'random';
  if (!isFeedbackChoice(choice))
    throw new UsageError(`--feedback-choice must be ${FEEDBACK_CHOICES.join(' or ')}, not "${choice}"`);
  return choice;
}

/** The most accurate model (the more expensive one on a tie). */
function bestModel(dataset: RoutingDataset, byCost: readonly string[]): string {
  const quality = (model: string) =>
    dataset.records.reduce((sum, record) => sum + (record.models[model]?.correct ?? 0), 0);
  return [...byCost].reverse().reduce((best, model) => (quality(model) > quality(best) ? model : best));
}

function modelsByCost(dataset: RoutingDataset): string[] {
  const totals = new Map<string, number>();
  for (const record of dataset.records) {
    for (const [model, outcome] of Object.entries(record.models))
      totals.set(model, (totals.get(model) ?? 0) + (outcome.cost ?? 0));
  }
  return [...totals.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([model]) => model);
}

const share = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`;
const ratio = (value: number | null) => (value === null ? '—' : value.toFixed(3));

function formatTwoTier(report: TwoTierReport): string {
  const header = [
    `Two-tier routing on ${report.n} requests: strong ${report.strong} (quality ${report.strongQuality.toFixed(3)}, $${report.strongCost.toFixed(4)}), weak ${report.weak} (quality ${report.weakQuality.toFixed(3)}, $${report.weakCost.toFixed(4)})`,
    'APGR: area under the quality-gap-recovered curve against the share of strong calls (random = 0.5). CPT(x): strong calls needed to recover x of the gap.',
    '$@strong: dollars at the first point matching always-strong quality, as a share of always-strong. @80%: strong calls / dollars at 80% of the gap (cascades pay both calls).',
  ].join('\n');
  const table = formatTable(report.policies, [
    { header: 'policy', value: (policy) => policy.name },
    { header: 'APGR', value: (policy) => ratio(policy.apgr), align: 'right' },
    { header: 'CPT(50%)', value: (policy) => share(policy.cpt50), align: 'right' },
    { header: 'CPT(80%)', value: (policy) => share(policy.cpt80), align: 'right' },
    { header: '$@strong', value: (policy) => share(policy.costShareAtStrongQuality), align: 'right' },
    {
      header: '@80%: calls/$',
      value: (policy) =>
        policy.at80 ? `${share(policy.at80.strongShare)} / ${share(policy.at80.costShare)}` : '—',
      align: 'right',
    },
    { header: 'evaluated as', value: (policy) => policy.evaluation ?? '' },
  ]);
  return `${header}\n\n${table}`;
}

/** A comma-separated list of numbers in [0, ∞), or undefined when the option is absent. */
function numberList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (numbers.length === 0 || numbers.some((number) => !(Number.isFinite(number) && number >= 0)))
    throw new UsageError(`--${name} takes comma-separated non-negative numbers, got "${value}"`);
  return numbers;
}

function onlinePolicy(name: string, settings: NeighbourBanditOptions & { costWeight: number }) {
  if (name === 'neighbours') return neighbourBandit(settings);
  if (name === 'thompson') {
    const { costWeight, prior } = settings;
    return contextualBandit({ algorithm: 'thompson', costWeight, ...(prior ? { prior } : {}) });
  }
  throw new UsageError(`--online-policy must be neighbours or thompson, not "${name}"`);
}

/** The flags that configure `neighbourBandit` only. */
const NEIGHBOUR_FLAGS = [
  'modelPrior',
  'minOutcomes',
  'explorationShare',
  'maxExplorationShare',
  'exploit',
  'shareDifficulty',
  'priorStrength',
  'neighbourStrength',
  'costBudget',
  'budgetStep',
  'maxCostWeight',
  'exploreInShadow',
] as const;

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

type NeighbourFlags = {
  modelPrior?: string | undefined;
  minOutcomes?: number | undefined;
  explorationShare?: number | undefined;
  maxExplorationShare?: number | undefined;
  exploit?: string | undefined;
  shareDifficulty?: string | undefined;
  priorStrength?: number | undefined;
  neighbourStrength?: number | undefined;
  costBudget?: number | undefined;
  budgetStep?: number | undefined;
  maxCostWeight?: number | undefined;
  exploreInShadow?: boolean | undefined;
};

/**
 * The neighbour bandit's settings from the flags. `--model-prior other-groups` reads each model's
 * quality share from the groups the run leaves out, so the start never sees the scored family.
 */
function neighbourSettings(
  flags: NeighbourFlags,
  data: { strong: string; models: readonly string[]; records: readonly ReplayRecord[]; group?: string },
): NeighbourBanditOptions {
  const settings: NeighbourBanditOptions = { referenceTier: data.strong };
  if (flags.minOutcomes !== undefined) settings.minOutcomes = flags.minOutcomes;
  if (flags.explorationShare !== undefined) settings.explorationShare = flags.explorationShare;
  if (flags.maxExplorationShare !== undefined) settings.maxExplorationShare = flags.maxExplorationShare;
  if (flags.exploit !== undefined) {
    if (flags.exploit !== 'sample' && flags.exploit !== 'mean')
      throw new UsageError(`--exploit must be sample or mean, not "${flags.exploit}"`);
    settings.exploit = flags.exploit;
  }
  if (flags.shareDifficulty !== undefined) {
    if (flags.shareDifficulty !== 'on' && flags.shareDifficulty !== 'off')
      throw new UsageError(`--share-difficulty must be on or off, not "${flags.shareDifficulty}"`);
    settings.shareDifficulty = flags.shareDifficulty === 'on';
  }
  if (flags.priorStrength !== undefined) settings.priorStrength = flags.priorStrength;
  if (flags.neighbourStrength !== undefined) settings.neighbourStrength = flags.neighbourStrength;
  if (flags.costBudget !== undefined) {
    settings.budget = {
      shareOfReference: flags.costBudget,
      ...(flags.budgetStep === undefined ? {} : { step: flags.budgetStep }),
      ...(flags.maxCostWeight === undefined ? {} : { maxCostWeight: flags.maxCostWeight }),
    };
  } else if (flags.budgetStep !== undefined || flags.maxCostWeight !== undefined)
    throw new UsageError('--budget-step and --max-cost-weight need --cost-budget');
  if (flags.exploreInShadow) settings.exploreInShadow = true;
  if (flags.modelPrior === undefined) return settings;
  if (flags.modelPrior === 'other-groups') {
    if (!data.group)
      throw new UsageError('--model-prior other-groups needs --group (the group it leaves out)');
    const others = data.records.filter((record) => record.group !== data.group);
    if (others.length === 0)
      throw new UsageError(`--model-prior other-groups: no group other than ${data.group}`);
    settings.qualityShares = qualityShares(others, data.models, data.strong);
  } else settings.qualityShares = parseShares(flags.modelPrior);
  return settings;
}

function parseShares(source: string): Record<string, number> {
  const text = source.trimStart().startsWith('{') ? source : readFileSync(source, 'utf8');
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Object.values(parsed).some((value) => typeof value !== 'number' || !(value >= 0))
  )
    throw new UsageError('--model-prior takes other-groups or JSON {model: share ≥ 0}');
  return parsed as Record<string, number>;
}

function formatOnline(online: OnlineReport): string {
  const lines = [
    `\nOnline (${online.policy}, λ = ${online.costWeight}) over ${online.n} requests in a seeded random order, ${online.models.length} models:`,
    `  bandit        quality ${online.quality.toFixed(3)}  $${online.cost.toFixed(4)} (${share(online.costShareOfStrong)} of always-strong)`,
    `  always-strong quality ${online.strongQuality.toFixed(3)}  $${online.strongCost.toFixed(4)}  (${online.strong})`,
    `  best fixed    quality ${online.bestFixed.quality.toFixed(3)}  $${online.bestFixed.cost.toFixed(4)}  (${online.bestFixed.model}, by reward)`,
    `  regret vs best fixed: ${online.regret.toFixed(1)} reward units (${(online.regret / online.n).toFixed(4)} per request); settled after ${online.settledAfter ?? '—'} requests${online.settledOn ? ` on ${online.settledOn}` : ''}`,
    `  choices: ${Object.entries(online.choices)
      .map(([model, value]) => `${model} ${share(value)}`)
      .join(', ')}`,
    `  later half (the last ${online.laterHalf.requests} requests): ${share(online.laterHalf.qualityShareOfStrong)} of always-strong's quality there, ${share(online.laterHalf.costShareOfStrong)} of its dollars`,
  ];
  if (online.feedbackRate < 1)
    lines.push(
      `  feedback on ${share(online.feedbackRate)} of requests (graded: ${share(online.gradedShare)})`,
    );
  if (online.shadowShare > 0)
    lines.push(
      `  shadow calls (served by ${online.strong}, the explored model called beside it and graded) on ${share(online.shadowShare)} of requests`,
    );
  if (online.frontier) {
    const seeds = online.frontier[0]!.seeds;
    lines.push(
      `  frontier (λ, feedback rate → quality, dollars as a share of always-strong; ${seeds.length > 1 ? `mean ± s.d. over seeds ${seeds.join(',')}` : `seed ${seeds[0]}`}):`,
    );
    const spread = (value: number) => (seeds.length > 1 ? ` ± ${(value * 100).toFixed(1)}` : '');
    for (const point of online.frontier) {
      lines.push(
        `    λ ${point.lambda}, feedback ${share(point.feedbackRate)} → quality ${point.quality.toFixed(3)} (${share(point.qualityShareOfStrong)}${spread(point.qualityShareSd)} of strong), ${share(point.costShareOfStrong)}${spread(point.costShareSd)} of its dollars; later half ${share(point.laterHalfQualityShare)} at ${share(point.laterHalfCostShare)}`,
      );
    }
  }
  return lines.join('\n');
}
