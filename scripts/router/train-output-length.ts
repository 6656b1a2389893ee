/**
 * Trains the output-length predictor on recorded answers and writes models/output-length/.
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-output-length.ts [--datasets ../shared/datasets] [--seed 7]
 *
 * Rows: every GSM8K prompt twice (GPT-4's and Mixtral's recorded answer, contaminated prompts dropped);
 * target log(1 + output tokens, cl100k); features: the router engine's lexical features + a
 * frontier-model flag. Folds split by prompt, so a prompt's two answers are never on both sides.
 */
import { writeFileSync } from 'node:fs';
import { outOfFold, randomFolds } from '../../packages/cli/src/bench/routing/cross-validation';
import {
  DEFAULT_CLASSIFIER_OPTIONS,
  trainRegressor,
} from '../../packages/cli/src/bench/routing/train-classifier';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import { writeOnnxModel } from '../../packages/core/src/cache/verifier/onnx-model-writer';
import {
  OUTPUT_LENGTH_FEATURE_NAMES,
  OUTPUT_LENGTH_FORMAT,
  type OutputLengthMeta,
} from '../../packages/core/src/router/models/load-output-length';
import { promptRouteFeatures } from '../../packages/core/src/router/models/prior-features';
import { formatMarkdown } from '../format-markdown';
import { trainingArguments } from '../script-arguments';
import { foldTrainer } from './fold-trainer';
import { loadRouteLlmTraining, round, STRONG, WEAK } from './routing-training-data';
import { roundLayers, writeModelFiles } from './shipped-model-files';

const { datasets, seed } = trainingArguments();
const records = (await loadRouteLlmTraining(datasets)).filter((record) => record.dataset === 'gsm8k');
const promptFolds = randomFolds(records.length, 5, seededUniform(seed));
const rows: Float64Array[] = [];
const targets: number[] = [];
const folds: number[] = [];
const frontier: number[] = [];
records.forEach((record, index) => {
  const lexical = promptRouteFeatures(record.prompt).lexical;
  for (const [model, flag] of [
    [WEAK, 0],
    [STRONG, 1],
  ] as const) {
    const row = new Float64Array(OUTPUT_LENGTH_FEATURE_NAMES.length);
    row.set(lexical, 0);
    row[lexical.length] = flag;
    rows.push(row);
    targets.push(Math.log1p(record.models[model]!.outputTokens ?? 0));
    folds.push(promptFolds[index]!);
    frontier.push(flag);
  }
});
const options = { ...DEFAULT_CLASSIFIER_OPTIONS, epochs: 80, l2: 1e-4, seed };
const indices = rows.map((_, index) => index);
const train = (hidden: number) => foldTrainer(rows, targets, trainRegressor, { ...options, hidden });
const tokens = targets.map((value) => Math.expm1(value));
const evaluate = (predictions: ArrayLike<number>) => {
  const errors = indices.map((index) => Math.abs(Math.expm1(predictions[index]!) - tokens[index]!));
  const byModel = (flag: number) => {
    const chosen = indices.filter((index) => frontier[index] === flag);
    return round(chosen.reduce((sum, index) => sum + errors[index]!, 0) / chosen.length, 1);
  };
  const logResiduals = indices.map((index) => targets[index]! - predictions[index]!);
  const deviation = Math.sqrt(
    logResiduals.reduce((sum, value) => sum + value * value, 0) / logResiduals.length,
  );
  const p90 =
    indices.filter((index) => Math.expm1(predictions[index]! + 1.2816 * deviation) >= tokens[index]!).length /
    indices.length;
  return {
    maeTokens: round(errors.reduce((sum, value) => sum + value, 0) / errors.length, 1),
    maeWeak: byModel(0),
    maeStrong: byModel(1),
    logDeviation: round(deviation),
    coverageOfP90Budget: round(p90),
  };
};
// Baseline: each model's median length in the training folds.
const medianBaseline = outOfFold(indices, folds, (training) => {
  const median = (flag: number) => {
    const values = training
      .filter((index) => frontier[index] === flag)
      .map((index) => targets[index]!)
      .sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  };
  const medians = [median(0), median(1)];
  return (index: number) => medians[frontier[index]!]!;
});
const results = {
  medianPerModel: evaluate(medianBaseline),
  linear: evaluate(outOfFold(indices, folds, train(0))),
  network8: evaluate(outOfFold(indices, folds, train(8))),
};
process.stderr.write(`${JSON.stringify(results, null, 2)}\n`);
const hidden = results.network8.maeTokens < results.linear.maeTokens - 0.5 ? 8 : 0;
const chosen = hidden > 0 ? results.network8 : results.linear;
const layers = trainRegressor(rows, targets, { ...options, hidden });
const meta: OutputLengthMeta = {
  format: OUTPUT_LENGTH_FORMAT,
  features: [...OUTPUT_LENGTH_FEATURE_NAMES],
  layers: roundLayers(layers),
  target: 'log1p-output-tokens',
  residualDeviation: chosen.logDeviation,
  metrics: { outOfFold: results, chosen: hidden > 0 ? 'network8' : 'linear', rows: rows.length, seed },
};
const onnx = writeOnnxModel({
  layers: meta.layers,
  graphName: 'output_length',
  outputName: 'probability',
  producer: 'tokenomics scripts/router/train-output-length.ts',
});
writeModelFiles('output-length', onnx, meta);
const row = (name: string, value: (typeof results)['linear']) =>
  `| ${name} | ${value.maeTokens} | ${value.maeWeak} | ${value.maeStrong} | ${(value.coverageOfP90Budget * 100).toFixed(1)}% |`;
writeFileSync(
  'models/output-length/MODEL_CARD.md',
  formatMarkdown(`# Output-length predictor (models/output-length)

Predicts a model's output tokens for a prompt, for max-token budgets and pre-call cost estimates.
\`loadOutputLengthPredictor()\` in \`@tokenomics/core\` (pure TypeScript; \`model.onnx\` holds the same
network, output named \`probability\` for the shared writer although it is log(1 + tokens)).

## Training data
RouteLLM's GSM8K file (Apache-2.0): ${records.length} prompts (contaminated dropped) × the recorded answers of
${STRONG} (frontier-model = 1) and ${WEAK} (0); tokens counted with cl100k_base.

## Features (${OUTPUT_LENGTH_FEATURE_NAMES.length})
The router engine's lexical features of the prompt and the frontier-model flag. Target log(1 + tokens).

## Held-out metrics (5 folds split by prompt)
| model | MAE (tokens) | MAE Mixtral | MAE GPT-4 | answers within the p90 budget |
|---|---|---|---|---|
${row('median per model (baseline)', results.medianPerModel)}
${row('linear', results.linear)}
${row('8-unit network', results.network8)}

Shipped: ${hidden > 0 ? '8-unit network' : 'linear'}. \`predict(features, { quantile: 0.9 })\` adds 1.28 × the held-out
log-space deviation (${chosen.logDeviation}) for a budget.

## Limits
One task (math word problems) and two models; lengths on chat, code or summaries differ. A
per-deployment recalibration from the ledger's recorded output tokens would do better.

## Rebuild
\`\`\`
npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-output-length.ts --seed ${seed}
\`\`\`
`),
);
process.stderr.write('wrote models/output-length\n');
