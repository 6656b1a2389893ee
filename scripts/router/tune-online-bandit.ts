/**
 * Chooses the online learner's settings on ONE RouterBench family (the tuning family), for the report on
 * the other: replays `neighbourBandit` over 11 models with feedback on 20% of requests, seeds 7–9, for a
 * grid of evidence gates (minOutcomes × explorationShare), with and without the many-model start (each
 * model's quality share of GPT-4's on the family left out: the other family), with the exploring share
 * fixed or growing as feedback gets sparse (up to maxExplorationShare 0.3 or 0.5), exploiting on the Thompson sample or
 * the mean, with and without difficulty shared across tiers, at λ 0.2 and 0.3; and picks
 * the setting with the best mean quality among those at ≤ 30% of GPT-4's mean dollars that keep the safe
 * default: with no graded outcome, a gate (minOutcomes > 0) and at most 10% of requests away from the
 * reference (explorationShare ≤ 0.1; the share may grow only once feedback is seen). Writes every grid
 * point as a JSON line as it finishes (so a stopped run keeps what it measured), then the choice and the
 * best point without the safe-default condition.
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/tune-online-bandit.ts --group arc-challenge \
 *     --json docs/benchmarks/routing-online-tuning-arc-challenge.jsonl
 *
 * `--grid budget` replaces the grid with the spending target (`costBudget`) on the default gate: the
 * budget (0.2, 0.25, 0.3 of GPT-4's estimated dollars) × the controller's step (0.003, 0.01, 0.03) ×
 * its most λ (0.5, 1, 3) × exploitation on the sample or the mean, λ starting at 0.3; and, with λ at
 * most 1 and the step 0.003 or 0.01, the tier's overall record worth 10, 30 or 100 outcomes against
 * its outcomes on similar requests (`neighbourStrength`, default 3); same seeds, feedback rate and rule.
 * `--feedback-choice exploring-first` replays either grid with the judge that grades the exploring
 * requests first (same 20% budget; see `runOnlineBench`); with it, `--explore-in-shadow on` makes
 * every setting explore in the shadow (the strong model serves an exploring request, the explored
 * model is called beside it and graded).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillCosts } from '../../packages/cli/src/bench/routing/fill-costs';
import { loadRoutingData } from '../../packages/cli/src/bench/routing/load-routing-data';
import {
  FEEDBACK_CHOICES,
  isFeedbackChoice,
  runOnlineBench,
} from '../../packages/cli/src/bench/routing/online-bench';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import { qualityShares } from '../../packages/cli/src/bench/routing/quality-shares';
import { type NeighbourBanditOptions, neighbourBandit } from '../../packages/core/src/index';
import { argument, trainingArguments } from '../script-arguments';

const STRONG = 'gpt-4-1106-preview';
const SEEDS = [7, 8, 9];
const LAMBDAS = [0.2, 0.3];
const FEEDBACK_RATE = 0.2;
const COST_LIMIT = 0.3;
/** Most share of requests sent away from the reference while no outcome is graded (the safe default). */
const SAFE_SHARE = 0.1;

const { datasets } = trainingArguments();
const group = argument('group', 'arc-challenge');
const grid = argument('grid', 'gates');
if (grid !== 'gates' && grid !== 'budget') throw new Error(`--grid must be gates or budget, not ${grid}`);
const feedbackChoiceFlag = argument('feedback-choice', 'random');
if (!isFeedbackChoice(feedbackChoiceFlag))
  throw new Error(`--feedback-choice must be ${FEEDBACK_CHOICES.join(' or ')}, not ${feedbackChoiceFlag}`);
const feedbackChoice = feedbackChoiceFlag;
const exploreInShadow = argument('explore-in-shadow', 'off') === 'on';
if (exploreInShadow && feedbackChoice !== 'exploring-first')
  throw new Error(
    '--explore-in-shadow on needs --feedback-choice exploring-first (a judge grades shadow answers)',
  );
const output = argument(
  'json',
  `routing-online-tuning-${grid === 'budget' ? 'budget-' : ''}${feedbackChoice === 'random' ? '' : `${feedbackChoice}-`}${exploreInShadow ? 'shadow-' : ''}${group}.jsonl`,
);
const data = loadRoutingData(join(datasets, 'routing', 'routerbench'));
await fillCosts(data, { assumedOutputTokens: 0 });
const records = data.records.filter((record) => record.group === group);
const models = Object.keys(records[0]!.models);
const shares = qualityShares(
  data.records.filter((record) => record.group !== group),
  models,
  STRONG,
);
const embeddings = await embedPrompts(records.map((record) => record.prompt));

type Gate = { modelPrior: boolean; minOutcomes: number; explorationShare: number };
type Budget = { costBudget: number; budgetStep: number; maxCostWeight: number };
type Setting = Gate & {
  maxExplorationShare: number;
  exploit: 'sample' | 'mean';
  shareDifficulty: boolean;
} & Partial<Budget> & { neighbourStrength?: number };
const gates: Gate[] = [false, true].flatMap((modelPrior) => [
  { modelPrior, minOutcomes: 0, explorationShare: 0 },
  ...[3, 6, 10].flatMap((minOutcomes) =>
    [0.1, 0.2, 0.3].map((explorationShare) => ({ modelPrior, minOutcomes, explorationShare })),
  ),
]);
// The first block (a fixed exploring share, Thompson exploitation, no shared difficulty) is the grid
// of the gate alone, as it was chosen before the other three were added.
const gateSettings: Setting[] = (['sample', 'mean'] as const).flatMap((exploit) =>
  [false, true].flatMap((shareDifficulty) =>
    [undefined, 0.3, 0.5].flatMap((growTo) =>
      gates
        .filter(
          (gate) => growTo === undefined || (gate.explorationShare > 0 && growTo > gate.explorationShare),
        )
        .map((gate) => ({
          ...gate,
          maxExplorationShare: growTo ?? gate.explorationShare,
          exploit,
          shareDifficulty,
        })),
    ),
  ),
);

// The spending target on the library's default gate (minOutcomes 3, explorationShare 0.1, no model
// prior): the controller's settings at the default shrinkage (neighbourStrength 3), then a smaller
// block with the tier's overall record worth more against its outcomes on similar requests.
const budgetGate = {
  modelPrior: false,
  minOutcomes: 3,
  explorationShare: 0.1,
  maxExplorationShare: 0.1,
  shareDifficulty: false,
};
const budgetSettings: Setting[] = [
  ...(['sample', 'mean'] as const).flatMap((exploit) =>
    [0.2, 0.25, 0.3].flatMap((costBudget) =>
      [0.003, 0.01, 0.03].flatMap((budgetStep) =>
        [0.5, 1, 3].map((maxCostWeight) => ({
          ...budgetGate,
          exploit,
          costBudget,
          budgetStep,
          maxCostWeight,
        })),
      ),
    ),
  ),
  ...[10, 30, 100].flatMap((neighbourStrength) =>
    (['sample', 'mean'] as const).flatMap((exploit) =>
      [0.2, 0.25, 0.3].flatMap((costBudget) =>
        [0.003, 0.01].map((budgetStep) => ({
          ...budgetGate,
          exploit,
          costBudget,
          budgetStep,
          maxCostWeight: 1,
          neighbourStrength,
        })),
      ),
    ),
  ),
];
const settings = grid === 'budget' ? budgetSettings : gateSettings;
const lambdas = grid === 'budget' ? [0.3] : LAMBDAS;

type Point = Setting & { lambda: number; qualityShare: number; costShare: number };
writeFileSync(output, '');
const points: Point[] = [];
for (const setting of settings) {
  for (const lambda of lambdas) {
    const point = {
      group,
      lambda,
      feedbackRate: FEEDBACK_RATE,
      ...(feedbackChoice === 'random' ? {} : { feedbackChoice }),
      ...(exploreInShadow ? { exploreInShadow } : {}),
      seeds: SEEDS,
      ...setting,
      ...(await replay(setting, lambda)),
    };
    points.push(point);
    appendFileSync(output, `${JSON.stringify(point)}\n`);
    process.stderr.write(
      `${JSON.stringify(setting)} λ ${lambda}: ${(point.qualityShare * 100).toFixed(1)}% of GPT-4's quality at ${(point.costShare * 100).toFixed(1)}% of its dollars\n`,
    );
  }
}
const best = (candidates: Point[]) =>
  candidates
    .filter((point) => point.costShare <= COST_LIMIT)
    .sort((a, b) => b.qualityShare - a.qualityShare)[0] ?? null;
const safe = (point: Setting) => point.minOutcomes > 0 && point.explorationShare <= SAFE_SHARE;
const chosen = best(points.filter(safe));
appendFileSync(
  output,
  `${JSON.stringify({
    chosen,
    rule: `best mean quality share at ≤ ${COST_LIMIT * 100}% of GPT-4's mean dollars, among settings with a gate and at most ${SAFE_SHARE * 100}% of requests exploring before any feedback`,
    bestWithoutSafeDefault: best(points),
    modelPrior: shares,
  })}\n`,
);
process.stdout.write(`chosen on ${group}: ${JSON.stringify(chosen)}\n`);

async function replay(setting: Setting, lambda: number) {
  const options: NeighbourBanditOptions = {
    referenceTier: STRONG,
    minOutcomes: setting.minOutcomes,
    explorationShare: setting.explorationShare,
    maxExplorationShare: setting.maxExplorationShare,
    exploit: setting.exploit,
    shareDifficulty: setting.shareDifficulty,
    ...(setting.modelPrior ? { qualityShares: shares } : {}),
    ...(exploreInShadow ? { exploreInShadow } : {}),
    ...(setting.neighbourStrength === undefined ? {} : { neighbourStrength: setting.neighbourStrength }),
    ...(setting.costBudget === undefined
      ? {}
      : {
          budget: {
            shareOfReference: setting.costBudget,
            step: setting.budgetStep as number,
            maxCostWeight: setting.maxCostWeight as number,
          },
        }),
  };
  const runs = [];
  for (const seed of SEEDS) {
    const report = await runOnlineBench(records, {
      models,
      strong: STRONG,
      seed,
      embeddings,
      feedbackRate: FEEDBACK_RATE,
      feedbackChoice,
      costWeight: lambda,
      createPolicy: ({ costWeight }) => neighbourBandit({ ...options, costWeight }),
    });
    runs.push({ qualityShare: report.quality / report.strongQuality, costShare: report.costShareOfStrong });
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    qualityShare: round(mean(runs.map((run) => run.qualityShare))),
    costShare: round(mean(runs.map((run) => run.costShare))),
    runs: runs.map((run) => ({ qualityShare: round(run.qualityShare), costShare: round(run.costShare) })),
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
