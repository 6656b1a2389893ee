/**
 * Cascade answer scorers, each scored on a task family it was not trained on.
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/evaluate-answer-scorers.ts \
 *     [--datasets ../shared/datasets] [--seed 7] [--json docs/benchmarks/routing-scorer-transfer.json]
 *
 * Families with the weak model's recorded answers: RouteLLM GSM8K, RouterBench ARC-Challenge and MBPP
 * (Mixtral 8x7B weak, GPT-4 strong). A cascade calls the weak model, scores its answer, escalates to the
 * strong model below a threshold; every call is charged. For each scorer and left-out family: AUC of the
 * score against the weak answer's correctness, the cascade's APGR, and its dollars (share of always-strong)
 * when it recovers 80% of the quality gap. Scorers:
 * - heuristics: the hand-set answer score (no training);
 * - the answer scorer in --shipped-folder (default the shipped one) as it is: not held out on the
 *   families it was trained on;
 * - learned (all 38 features) and learned (generic features): a logistic regression trained on the other
 *   two families; the first also abstaining (the cascade accepts) on answers outside their coverage;
 * - agreement: the weak answer's agreement with a second cheap model's answer (RouterBench families
 *   only: GSM8K has no second cheap model's answers); the second call is charged. Agreement is
 *   `answerSimilarity` from the engine: equal final numbers, else word overlap.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importRouterBench } from '../../packages/cli/src/bench/routing/import-routerbench';
import {
  averageGapRecovered,
  costShareAtQuality,
  type RoutingItem,
  routingCurve,
} from '../../packages/cli/src/bench/routing/routing-metrics';
import {
  DEFAULT_CLASSIFIER_OPTIONS,
  trainClassifier,
} from '../../packages/cli/src/bench/routing/train-classifier';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import { forward } from '../../packages/core/src/cache/verifier/verifier-model';
import {
  ANSWER_FEATURE_NAMES,
  answerFeatures,
  heuristicAnswerScore,
} from '../../packages/core/src/router/models/answer-features';
import { loadAnswerQualityModel } from '../../packages/core/src/router/models/load-answer-scorer';
import { coverageDistance, fitCoverage } from '../../packages/core/src/router/models/prior-coverage';
import { answerSimilarity } from '../../packages/core/src/router/scorers/agreement-scorer';
import { argument, trainingArguments } from '../script-arguments';
import {
  areaUnderRoc,
  type Family,
  loadFamilies,
  round,
  roundOrNull,
  STRONG,
  type TrainingRecord,
  WEAK,
} from './routing-training-data';

const { datasets, seed } = trainingArguments();
const jsonPath = argument('json', '');
// The scorer scored "as it is": the shipped one unless another folder is given (e.g. an earlier version).
const shippedFolder = argument('shipped-folder', 'models/answer-scorer');
const FAMILIES_WITH_ANSWERS = ['gsm8k', 'arc-challenge', 'mbpp'] as const satisfies readonly Family[];
/** Second cheap models for agreement, all reported: a smaller open model and two cheap API models. */
const SECONDS = ['mistralai/mistral-7b-chat', 'gpt-3.5-turbo-1106', 'claude-instant-v1'];
/** Features that say nothing about arithmetic: lengths, hedging, self-correction, refusal, truncation. */
const GENERIC_FEATURES = [
  'log-answer-characters',
  'log-answer-lines',
  'empty',
  'hedging',
  'self-correction',
  'refusal',
  'truncated',
  'log-prompt-characters',
  'answer-to-prompt-length',
] as const;

const records = (await loadFamilies(datasets, { families: FAMILIES_WITH_ANSWERS })).filter(
  (record) => record.models[WEAK]?.response !== undefined,
);
type SecondAnswers = Map<string, { response: string; cost: number }>;
const routerBench = importRouterBench(join(datasets, 'routing', 'routerbench')).records;
const seconds = new Map(SECONDS.map((model) => [model, secondModelAnswers(model)]));
const labels = records.map((record) => (record.models[WEAK]!.correct >= 0.5 ? 1 : 0));
const allRows = records.map((record) => answerFeatures(record.prompt, record.models[WEAK]!.response ?? ''));
const genericIndices = GENERIC_FEATURES.map((name) => ANSWER_FEATURE_NAMES.indexOf(name));
const genericRows = allRows.map((row) => Float64Array.from(genericIndices, (index) => row[index]!));
const shipped = await loadAnswerQualityModel({ folder: shippedFolder, runtime: 'typescript' });
const options = { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 60, seed };

type Scored = { auc: number; apgr: number; costShareAt80: number | null; n: number; abstained?: number };
const results: Record<string, Partial<Record<Family, Scored>>> = {};
const score = (name: string, family: Family, indices: number[], scores: number[], second?: SecondAnswers) => {
  const byFamily = results[name] ?? {};
  byFamily[family] = cascadeScore(indices, scores, second);
  results[name] = byFamily;
};

for (const family of FAMILIES_WITH_ANSWERS) {
  const test = indicesOf((record) => record.dataset === family);
  const train = indicesOf((record) => record.dataset !== family);
  score(
    'heuristics',
    family,
    test,
    test.map((index) =>
      heuristicAnswerScore(records[index]!.prompt, records[index]!.models[WEAK]!.response ?? ''),
    ),
  );
  const shippedScores: number[] = [];
  for (const index of test) {
    shippedScores.push(
      await shipped.predict({
        prompt: records[index]!.prompt,
        answerText: records[index]!.models[WEAK]!.response ?? '',
        finishReason: 'stop',
        usage: {},
      }),
    );
  }
  score(`answer scorer in ${shippedFolder}, as it is`, family, test, shippedScores);
  // As a cascade scorer it abstains outside its coverage, and the cascade accepts those answers.
  const covered = test.map((index) =>
    shipped.covers!({
      prompt: records[index]!.prompt,
      answerText: records[index]!.models[WEAK]!.response ?? '',
      finishReason: 'stop',
      usage: {},
    }),
  );
  const abstaining = `answer scorer in ${shippedFolder}, abstaining outside coverage`;
  score(
    abstaining,
    family,
    test,
    shippedScores.map((value, position) => (covered[position] ? value : 1)),
  );
  results[abstaining]![family]!.abstained = round(
    covered.filter((inside) => !inside).length / covered.length,
    3,
  );
  for (const [name, rows] of [
    ['learned, all 38 features', allRows],
    ['learned, generic features', genericRows],
  ] as const) {
    const layers = trainClassifier(
      train.map((index) => rows[index]!),
      train.map((index) => labels[index]!),
      options,
    );
    score(
      name,
      family,
      test,
      test.map((index) => forward({ layers }, rows[index]!)),
    );
    if (rows !== allRows) continue;
    // The same, abstaining on answers outside the training families' coverage: the cascade accepts them.
    const coverage = fitCoverage(
      train.map((index) => rows[index]!),
      { clusters: 16, standardizeFeatures: true, random: seededUniform(seed) },
    );
    const inside = test.map((index) => coverageDistance(coverage, rows[index]!) <= coverage.maxDistance);
    score(
      `${name}, abstaining outside coverage`,
      family,
      test,
      test.map((index, position) => (inside[position] ? forward({ layers }, rows[index]!) : 1)),
    );
    results[`${name}, abstaining outside coverage`]![family]!.abstained = round(
      inside.filter((covered) => !covered).length / inside.length,
      3,
    );
  }
  for (const [model, second] of seconds) {
    // Requests without the second model's answer are left out of this row (a few RouterBench rows).
    const agreeing = test.filter((index) => second.has(records[index]!.id));
    if (agreeing.length < test.length * 0.9) continue;
    score(
      `agreement with ${model}`,
      family,
      agreeing,
      agreeing.map((index) =>
        answerSimilarity(
          records[index]!.models[WEAK]!.response ?? '',
          second.get(records[index]!.id)!.response,
        ),
      ),
      // The second model's call is paid on every request.
      second,
    );
  }
  process.stderr.write(`${family}: done\n`);
}
const defaults = Object.entries(results)
  .filter(([name]) => !name.startsWith('answer scorer in'))
  .filter(([, byFamily]) => FAMILIES_WITH_ANSWERS.every((family) => (byFamily[family]?.auc ?? 0) > 0.6))
  .map(([name]) => name);
const report = {
  command: `npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/evaluate-answer-scorers.ts --seed ${seed} --shipped-folder ${shippedFolder}${jsonPath ? ` --json ${jsonPath}` : ''}`,
  weak: WEAK,
  strong: STRONG,
  families: Object.fromEntries(
    FAMILIES_WITH_ANSWERS.map((family) => [family, indicesOf((record) => record.dataset === family).length]),
  ),
  results,
  scorersAbove06OnEveryLeftOutFamily: defaults,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);

function indicesOf(test: (record: TrainingRecord) => boolean): number[] {
  return records.flatMap((record, index) => (test(record) ? [index] : []));
}

/** The second cheap model's answer and cost per RouterBench sample id. */
function secondModelAnswers(model: string): SecondAnswers {
  const answers: SecondAnswers = new Map();
  for (const record of routerBench) {
    const outcome = record.models[model];
    if (outcome?.response !== undefined)
      answers.set(record.id, { response: outcome.response, cost: outcome.cost ?? 0 });
  }
  return answers;
}

/** AUC, and the cascade's APGR and dollars at 80% of the gap; `second`'s calls are charged too. */
function cascadeScore(indices: number[], scores: number[], second: SecondAnswers | undefined): Scored {
  const items: RoutingItem[] = indices.map((index, position) => {
    const record = records[index]!;
    const extra = second?.get(record.id)?.cost ?? 0;
    return {
      accept: scores[position]!,
      skip: Number.POSITIVE_INFINITY,
      weak: { correct: record.models[WEAK]!.correct, cost: (record.models[WEAK]!.cost ?? 0) + extra },
      strong: { correct: record.models[STRONG]!.correct, cost: record.models[STRONG]!.cost ?? 0 },
    };
  });
  const weakQuality = items.reduce((sum, item) => sum + item.weak.correct, 0) / items.length;
  const strongQuality = items.reduce((sum, item) => sum + item.strong.correct, 0) / items.length;
  const strongCost = items.reduce((sum, item) => sum + item.strong.cost, 0);
  const curve = routingCurve(items);
  return {
    n: items.length,
    auc: areaUnderRoc(
      scores,
      indices.map((index) => labels[index]!),
    ),
    apgr: round(averageGapRecovered(curve, weakQuality, strongQuality)),
    costShareAt80: roundOrNull(
      costShareAtQuality(curve, weakQuality + 0.8 * (strongQuality - weakQuality), strongCost),
    ),
  };
}
