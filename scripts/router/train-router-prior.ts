/**
 * Trains the router prior and writes models/router-prior/ (and the copy shipped in packages/core/models/).
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-router-prior.ts [--datasets ../shared/datasets] [--seed 7]
 *
 * 1. loads RouteLLM's MMLU (57 subjects) and GSM8K correctness, contaminated prompts dropped,
 * 2. embeds every prompt with USE-lite (cached in .tokenomics/routing-embeddings; run
 *    scripts/router/embed-routing-prompts.ts first to warm it),
 * 3. features: the router engine's lexical features (+ the embedding); label: the weak model's answer is right,
 * 4. evaluates logistic regressions with out-of-fold scores: random 5-fold, and whole groups held out
 *    (MMLU subjects, and GSM8K as a dataset the model never saw), against a per-subject lookup,
 * 5. trains on everything and writes model.onnx, meta.json and MODEL_CARD.md, and checks that
 *    onnxruntime-node agrees with the TypeScript forward pass.
 */
import { writeFileSync } from 'node:fs';
import { groupFolds, outOfFold, randomFolds } from '../../packages/cli/src/bench/routing/cross-validation';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import {
  type ClassifierTrainingOptions,
  PRIOR_TRAINING_OPTIONS,
  trainClassifier,
} from '../../packages/cli/src/bench/routing/train-classifier';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import { writeOnnxModel } from '../../packages/core/src/cache/verifier/onnx-model-writer';
import { forward } from '../../packages/core/src/cache/verifier/verifier-model';
import { LEXICAL_FEATURE_NAMES } from '../../packages/core/src/router/features/lexical-features';
import {
  loadRouterPrior,
  ROUTER_PRIOR_FORMAT,
  type RouterPriorMeta,
} from '../../packages/core/src/router/models/load-router-prior';
import {
  priorFeatureNames,
  priorFeatureVector,
  promptRouteFeatures,
} from '../../packages/core/src/router/models/prior-features';
import { formatMarkdown } from '../format-markdown';
import { trainingArguments } from '../script-arguments';
import { foldTrainer } from './fold-trainer';
import {
  areaUnderRoc,
  loadRouteLlmTraining,
  pct,
  type RoutingScore,
  routingScore,
  STRONG,
  type TrainingRecord,
  WEAK,
} from './routing-training-data';
import { roundLayers, writeModelFiles } from './shipped-model-files';

const { datasets, seed } = trainingArguments();
const started = Date.now();
const log = (message: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`);

const records = await loadRouteLlmTraining(datasets);
log(`records: ${records.length}`);
const vectors = await embedPrompts(
  records.map((record) => record.prompt),
  { onProgress: (done, total) => done % 640 === 0 && log(`embedded ${done}/${total}`) },
);
log('embeddings ready');
const fullRows = records.map((record) =>
  priorFeatureVector(promptRouteFeatures(record.prompt, vectors.get(record.prompt)), true),
);
const lexicalRows = records.map((record) => priorFeatureVector(promptRouteFeatures(record.prompt), false));
// Two candidate labels: the weak answer is right, or it is not worse than the strong one (what APGR rewards:
// a question both models miss gains nothing from the strong model). The better one on held-out groups ships.
const labelSets = {
  'weak-correct': records.map((record) => (record.models[WEAK]!.correct >= 0.5 ? 1 : 0)),
  'weak-not-worse': records.map((record) =>
    record.models[WEAK]!.correct >= record.models[STRONG]!.correct ? 1 : 0,
  ),
};
type LabelName = keyof typeof labelSets;
let currentLabels: number[] = labelSets['weak-correct'];
const training: ClassifierTrainingOptions = { ...PRIOR_TRAINING_OPTIONS, seed };
const indices = records.map((_, index) => index);
const random = seededUniform(seed);
const kFolds = randomFolds(records.length, 5, random);
const heldOutGroups = groupFolds(
  records.map((record) => record.group),
  5,
  random,
)!;

const trainer = (rows: Float64Array[], options: ClassifierTrainingOptions) =>
  foldTrainer(rows, currentLabels, trainClassifier, options);
// A per-subject lookup: the weak model's accuracy on the subject in the training folds.
const subjectLookup = (trainingIndices: number[]) => {
  const totals = new Map<string, { right: number; count: number }>();
  for (const index of trainingIndices) {
    const group = records[index]!.group ?? '';
    const entry = totals.get(group) ?? { right: 0, count: 0 };
    entry.right += currentLabels[index]!;
    entry.count++;
    totals.set(group, entry);
  }
  return (index: number) => {
    const entry = totals.get(records[index]!.group ?? '');
    return entry ? entry.right / entry.count : 0.5;
  };
};

type Evaluated = Record<'mmlu' | 'gsm8k', RoutingScore & { auc: number }>;
const evaluate = (scores: Float64Array): Evaluated => {
  const part = (dataset: TrainingRecord['dataset']) => {
    const chosen = indices.filter((index) => records[index]!.dataset === dataset);
    return {
      ...routingScore(
        chosen.map((index) => records[index]!),
        chosen.map((index) => scores[index]!),
      ),
      auc: areaUnderRoc(
        chosen.map((index) => scores[index]!),
        chosen.map((index) => currentLabels[index]!),
      ),
    };
  };
  return { mmlu: part('mmlu'), gsm8k: part('gsm8k') };
};

const results: Record<string, Evaluated> = {};
const run = (
  name: string,
  folds: number[],
  train: (trainingIndices: number[]) => (index: number) => number,
) => {
  results[name] = evaluate(outOfFold(indices, folds, train));
  log(`${name}: ${JSON.stringify(results[name])}`);
};
for (const label of Object.keys(labelSets) as LabelName[]) {
  currentLabels = labelSets[label];
  run(`[${label}] subject lookup, random 5-fold`, kFolds, subjectLookup);
  run(`[${label}] lexical, random 5-fold`, kFolds, trainer(lexicalRows, training));
  run(`[${label}] lexical + embedding, random 5-fold`, kFolds, trainer(fullRows, training));
  run(`[${label}] lexical, groups held out`, heldOutGroups, trainer(lexicalRows, training));
  run(`[${label}] lexical + embedding, groups held out`, heldOutGroups, trainer(fullRows, training));
}
const heldOutScore = (label: LabelName) => {
  const value = results[`[${label}] lexical + embedding, groups held out`]!;
  return value.mmlu.apgr + value.gsm8k.apgr;
};
const chosenLabel: LabelName =
  heldOutScore('weak-not-worse') > heldOutScore('weak-correct') ? 'weak-not-worse' : 'weak-correct';
currentLabels = labelSets[chosenLabel];
log(`shipping label ${chosenLabel}`);

// Final model on everything.
const layers = trainClassifier(fullRows, currentLabels, training);
const lexicalLayers = trainClassifier(lexicalRows, currentLabels, training);
const meta: RouterPriorMeta = {
  format: ROUTER_PRIOR_FORMAT,
  features: priorFeatureNames(true),
  layers: roundLayers(layers),
  embedder: 'use-lite-512@energetic-ai-0.2',
  target:
    chosenLabel === 'weak-correct'
      ? `P(${WEAK} answers correctly) on RouteLLM MMLU + GSM8K; route to ${STRONG} when low`
      : `P(${WEAK}'s answer is not worse than ${STRONG}'s) on RouteLLM MMLU + GSM8K; route to the strong model when low`,
  lexicalFeatures: [...LEXICAL_FEATURE_NAMES],
  lexicalLayers: roundLayers(lexicalLayers),
  metrics: { evaluated: results, label: chosenLabel, trainedOn: { records: records.length, seed, training } },
};
const onnx = writeOnnxModel({
  layers: meta.layers,
  graphName: 'router_prior',
  producer: 'tokenomics scripts/router/train-router-prior.ts',
  metadata: { target: meta.target, embedder: meta.embedder },
});
writeModelFiles('router-prior', onnx, meta);
const onnxPrior = await loadRouterPrior({ folder: 'models/router-prior', runtime: 'onnx' });
let parity = 0;
for (const index of indices.slice(0, 300)) {
  const features = promptRouteFeatures(records[index]!.prompt, vectors.get(records[index]!.prompt));
  parity = Math.max(parity, Math.abs((await onnxPrior.predict(features)) - forward(meta, fullRows[index]!)));
}
await onnxPrior.close();
log(`onnx parity: max |onnx - ts| = ${parity}`);
writeFileSync('models/router-prior/MODEL_CARD.md', formatMarkdown(modelCard(results, records, parity)));
log('wrote models/router-prior');

function modelCard(evaluated: Record<string, Evaluated>, all: TrainingRecord[], onnxParity: number): string {
  const count = (dataset: string) => all.filter((record) => record.dataset === dataset).length;
  const rows = Object.entries(evaluated)
    .map(
      ([name, value]) =>
        `| ${name} | ${value.mmlu.apgr.toFixed(3)} | ${pct(value.mmlu.cpt50)} | ${pct(value.mmlu.cpt80)} | ${value.mmlu.auc.toFixed(3)} | ${value.gsm8k.apgr.toFixed(3)} | ${pct(value.gsm8k.cpt50)} | ${pct(value.gsm8k.cpt80)} | ${value.gsm8k.auc.toFixed(3)} |`,
    )
    .join('\n');
  return `# Router prior (models/router-prior)

A logistic regression that predicts, from a prompt alone, the probability that the weak model
(${WEAK}) is good enough; a router sends the request to the strong model
(${STRONG}) when the probability is below a threshold α (\`classifierPrior\`, or as the
contextual bandit's starting point). Loaded by \`loadRouterPrior()\` in \`@tokenomics/core\`
(onnxruntime-node when installed, the same network in TypeScript otherwise).

## Training data
RouteLLM's evaluation data (Apache-2.0, \`../shared/datasets/routing/routellm/\`): MMLU, 57
subjects, ${count('mmlu')} prompts; GSM8K, ${count('gsm8k')} prompts; the prompts listed in
\`contaminated_prompts.jsonl\` dropped. Shipped label: **${chosenLabel}** (${chosenLabel === 'weak-correct' ? "the weak model's recorded answer was correct" : "the weak model's answer was not worse than the strong model's: a question both miss gains nothing from escalating"}); both labels were
evaluated below (AUC is against the row's own label), and the one with the better held-out-groups APGR ships.

## Features (${priorFeatureNames(true).length})
The router engine's ${LEXICAL_FEATURE_NAMES.length} lexical features of the prompt (log lengths, digit and math
shares, code markers, question and reasoning words, …) and the 512-d USE-lite embedding
(\`UseLiteEmbedder\`). A second, lexical-only network in \`meta.json\` is used when a request
has no embedding.

## Held-out metrics
Out-of-fold scores (every prompt scored by a model that never saw it), routed by threshold; APGR and
CPT are RouteLLM's definitions (random router: APGR 0.5). "Groups held out": 5 folds of whole MMLU
subjects, with GSM8K as one group, so GSM8K is scored by a model trained on MMLU only, and each MMLU
subject by a model that never saw that subject. A per-subject lookup (the label's rate on the prompt's
subject in the training folds) is the baseline a random-fold score must beat to mean anything; on
GSM8K (one group) it is a constant per fold, so its GSM8K numbers are noise around 0.5. The embedding
helps with random folds and much less, or not at all, with subjects held out: it mostly learns topics.

| evaluation | MMLU APGR | CPT(50%) | CPT(80%) | AUC | GSM8K APGR | CPT(50%) | CPT(80%) | AUC |
|---|---|---|---|---|---|---|---|---|
${rows}

RouteLLM's best published APGR on these files: 0.603 (MMLU), 0.622 (GSM8K).
ONNX parity: max |onnxruntime − TypeScript| = ${onnxParity.toExponential(2)} on 300 prompts.

## Limits
- Trained on two benchmarks of one weak/strong pair; other pairs and real traffic differ. Use it as
  the bandit's starting point and let outcomes correct it.
- The probability is calibrated to these benchmarks' base rates (weak model right 68% on MMLU, 64% on GSM8K).

## Rebuild
\`\`\`
npx tsx scripts/router/embed-routing-prompts.ts          # warms the embedding cache (minutes)
npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-router-prior.ts --seed ${seed}
\`\`\`
`;
}
