/**
 * Trains the router prior and writes models/router-prior/ (and the copy shipped in packages/core/models/).
 *
 *   npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-router-prior.ts \
 *     [--datasets ../shared/datasets] [--seed 7] [--mmlu-sample 4000] [--json docs/benchmarks/routing-prior-transfer.json]
 *
 * 1. loads four task families with the GPT-4 / Mixtral pair's recorded correctness: RouteLLM's MMLU and
 *    GSM8K, RouterBench's ARC-Challenge and MBPP (contaminated RouteLLM prompts dropped),
 * 2. embeds every prompt with USE-lite (cached in .tokenomics/routing-embeddings; run
 *    scripts/router/embed-routing-prompts.ts first to warm it),
 * 3. features: the router engine's lexical features (+ the embedding); label: the weak model's answer is right,
 * 4. leave one family out with the shipped recipe (packages/cli/src/train/router-prior-trainer.ts): trains
 *    on the other families, calibrates the coverage on those families alone (each left out of the coverage
 *    in turn: how tight it must be for an unseen family to fall outside), and scores the left-out family;
 *    prompts outside get the neutral prior (the median training probability). Next to it: the networks
 *    without the coverage check, and the prior shipped before this run, as it is,
 * 5. trains on every family and writes model.onnx, meta.json (with the coverage) and MODEL_CARD.md, and
 *    checks that onnxruntime-node agrees with the TypeScript forward pass.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import { PRIOR_TRAINING_OPTIONS } from '../../packages/cli/src/bench/routing/train-classifier';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import {
  gatedPrior,
  leaveOneGroupOut,
  PRIOR_COVERAGE_CLUSTERS,
  type PriorExample,
  trainPrior,
  UNSEEN_INSIDE,
} from '../../packages/cli/src/train/router-prior-trainer';
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
import { argument, trainingArguments } from '../script-arguments';
import {
  areaUnderRoc,
  FAMILIES,
  type Family,
  loadFamilies,
  pct,
  type RoutingScore,
  routingScore,
  STRONG,
  WEAK,
} from './routing-training-data';
import { roundLayers, writeModelFiles } from './shipped-model-files';

const { datasets, seed } = trainingArguments();
const jsonPath = argument('json', '');
// All 14,037 MMLU prompts by default; fewer keeps the embedding step short on a busy machine.
const mmluSample = Number(argument('mmlu-sample', 'Infinity'));
const started = Date.now();
const log = (message: string) =>
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`);

const records = await loadFamilies(datasets, { mmluSample, random: seededUniform(seed) });
log(`records: ${records.length} (${FAMILIES.map((family) => `${family} ${count(family)}`).join(', ')})`);
const vectors = await embedPrompts(
  records.map((record) => record.prompt),
  { onProgress: (done, total) => done % 640 === 0 && log(`embedded ${done}/${total}`) },
);
log('embeddings ready');
const examples: PriorExample[] = records.map((record) => ({
  prompt: record.prompt,
  label: record.models[WEAK]!.correct >= 0.5 ? 1 : 0,
  group: record.dataset,
  embedding: vectors.get(record.prompt)!,
}));
const lexicalExamples = examples.map(({ embedding: _, ...rest }) => rest);
const settings = { seed };

type FamilyResult = RoutingScore & { auc: number; covered?: number };
type Evaluation = Partial<Record<Family, FamilyResult>>;
const results: Record<string, Evaluation> = {};

// The prior shipped before this run, as it is: its own coverage and out-of-coverage prior.
if (existsSync('models/router-prior/meta.json')) {
  const shipped = await loadRouterPrior({ folder: 'models/router-prior', runtime: 'typescript' });
  const checked = new Float64Array(records.length);
  const covered = new Uint8Array(records.length);
  for (const [index, example] of examples.entries()) {
    const features = promptRouteFeatures(example.prompt, example.embedding);
    checked[index] = await shipped.predict(features);
    covered[index] = shipped.coverage(features)?.covered === false ? 0 : 1;
  }
  results['shipped before this run, as it is (embedding, its coverage check)'] = scoreFamilies(
    checked,
    covered,
  );
  log(
    `shipped as-is: ${JSON.stringify(results['shipped before this run, as it is (embedding, its coverage check)'])}`,
  );
}

for (const [name, chosen] of [
  ['lexical', lexicalExamples],
  ['lexical + embedding', examples],
] as const) {
  const held = leaveOneGroupOut(chosen, settings, {
    onUnit: (family) => log(`${name}: ${family} left out done`),
  });
  const raw = new Float64Array(records.length);
  const gated = new Float64Array(records.length);
  const covered = new Uint8Array(records.length);
  for (const prediction of held) {
    raw[prediction.index] = prediction.raw;
    gated[prediction.index] = prediction.value;
    covered[prediction.index] = prediction.covered ? 1 : 0;
  }
  results[`${name}, family left out, no coverage check`] = scoreFamilies(raw);
  results[`${name}, family left out, calibrated coverage check (the shipped recipe)`] = scoreFamilies(
    gated,
    covered,
  );
  log(
    `${name}: ${JSON.stringify(results[`${name}, family left out, calibrated coverage check (the shipped recipe)`])}`,
  );
}

// Final model on every family, its coverage calibrated with each family left out in turn.
const prior = trainPrior(examples, settings);
{
  const inSample = examples.map((example) => gatedPrior(prior, example));
  results['this prior on its own training prompts (not held out)'] = scoreFamilies(
    Float64Array.from(inSample, (value) => value.value),
    Uint8Array.from(inSample, (value) => (value.covered ? 1 : 0)),
  );
}
const meta: RouterPriorMeta = {
  format: ROUTER_PRIOR_FORMAT,
  features: priorFeatureNames(true),
  layers: roundLayers(prior.layers),
  embedder: 'use-lite-512@energetic-ai-0.2',
  target: `P(${WEAK} answers correctly) on RouteLLM MMLU + GSM8K and RouterBench ARC-Challenge + MBPP; route to ${STRONG} when low`,
  lexicalFeatures: [...LEXICAL_FEATURE_NAMES],
  lexicalLayers: roundLayers(prior.lexicalLayers),
  coverage: prior.coverage,
  neutralPrior: prior.neutralPrior,
  lexicalNeutralPrior: prior.lexicalNeutralPrior,
  metrics: {
    evaluated: results,
    label: 'weak-correct',
    trainedOn: {
      records: records.length,
      families: Object.fromEntries(FAMILIES.map((f) => [f, count(f)])),
      seed,
      training: { ...PRIOR_TRAINING_OPTIONS, seed },
      coverageClusters: PRIOR_COVERAGE_CLUSTERS,
    },
  },
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
for (const example of examples.slice(0, 300)) {
  const features = promptRouteFeatures(example.prompt, example.embedding);
  parity = Math.max(
    parity,
    Math.abs(
      (await onnxPrior.predictUnchecked(features)) - forward(meta, priorFeatureVector(features, true)),
    ),
  );
}
await onnxPrior.close();
log(`onnx parity: max |onnx - ts| = ${parity}`);
writeFileSync('models/router-prior/MODEL_CARD.md', formatMarkdown(modelCard(results, parity)));
if (jsonPath) {
  const report = {
    command: commandLine(),
    seed,
    neutralPrior: prior.neutralPrior,
    coverageThresholds: {
      embedding: prior.coverage.embedding?.threshold,
      lexical: prior.coverage.lexical.threshold,
    },
    families: Object.fromEntries(FAMILIES.map((f) => [f, count(f)])),
    results,
  };
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
}
log('wrote models/router-prior');

function count(family: Family): number {
  return records.filter((record) => record.dataset === family).length;
}

function scoreFamilies(scores: Float64Array, covered?: Uint8Array): Evaluation {
  const evaluation: Evaluation = {};
  for (const family of FAMILIES) {
    const chosen = records.flatMap((record, index) => (record.dataset === family ? [index] : []));
    if (chosen.length === 0) continue;
    const result: FamilyResult = {
      ...routingScore(
        chosen.map((index) => records[index]!),
        chosen.map((index) => scores[index]!),
      ),
      auc: areaUnderRoc(
        chosen.map((index) => scores[index]!),
        chosen.map((index) => examples[index]!.label),
      ),
    };
    if (covered)
      result.covered =
        Math.round((chosen.filter((index) => covered[index]).length / chosen.length) * 1000) / 1000;
    evaluation[family] = result;
  }
  return evaluation;
}

function commandLine(): string {
  const sample = Number.isFinite(mmluSample) ? ` --mmlu-sample ${mmluSample}` : '';
  return `npx tsx --tsconfig packages/cli/tsconfig.json scripts/router/train-router-prior.ts --seed ${seed}${sample}${jsonPath ? ` --json ${jsonPath}` : ''}`;
}

function modelCard(evaluated: Record<string, Evaluation>, onnxParity: number): string {
  const rows = Object.entries(evaluated)
    .map(
      ([name, value]) =>
        `| ${name} | ${FAMILIES.map((family) => {
          const result = value[family];
          if (!result) return '— | —';
          const coveredNote = result.covered === undefined ? '' : ` (${pct(result.covered)} in)`;
          return `${result.apgr.toFixed(3)}${coveredNote} | ${result.auc.toFixed(3)}`;
        }).join(' | ')} |`,
    )
    .join('\n');
  return `# Router prior (models/router-prior)

A logistic regression that predicts, from a prompt alone, the probability that the weak model
(${WEAK}) answers correctly; a router sends the request to the strong model (${STRONG}) when the
probability is below a threshold α (\`classifierPrior\`, or as the contextual bandit's starting point).
Loaded by \`loadRouterPrior()\` in \`@tokenomics/core\` (onnxruntime-node when installed, the same
network in TypeScript otherwise).

**It knows when it does not know.** \`meta.json\` keeps where the training prompts lie: ${PRIOR_COVERAGE_CLUSTERS}
k-means centroids of their USE-lite embeddings (their topic) and ${PRIOR_COVERAGE_CLUSTERS} of their standardized
lexical features (their form: length, digits, code and math markers), each centroid with its radius (the
distance 95% of its prompts fall within) and one threshold per space, in radii. The threshold is
calibrated on the training families alone: each family in turn is left out of a coverage fitted on the
others, and the threshold is the tightest that leaves at most ${UNSEEN_INSIDE * 100}% of a left-out family inside. A prompt
outside either space (without an embedding: outside in form) gets \`outOfCoveragePrior\` — by default the
neutral prior, the median of the network's probabilities on its training prompts
(${meta.neutralPrior}; lexical network ${meta.lexicalNeutralPrior}), which ranks it where a random router
would, so it can neither help nor hurt the ranking; \`outOfCoveragePrior: 0\` sends it to the strong model
instead. \`prior.coverage(features)\` says which case a prompt is.

## Training data
Four task families with the pair's recorded correctness:

- RouteLLM's evaluation data (Apache-2.0, \`../shared/datasets/routing/routellm/\`): MMLU, 57 subjects,
  ${count('mmlu')} prompts${Number.isFinite(mmluSample) ? ' (a seeded sample of the 14,037, to keep embedding time short)' : ''}; GSM8K, ${count('gsm8k')} prompts; the prompts in \`contaminated_prompts.jsonl\` dropped;
- RouterBench (Hu et al., arXiv 2403.12031, by Martian; MIT; split by shuhao02/RouterDC;
  \`../shared/datasets/routing/routerbench/\`, train and test files together): ARC-Challenge
  (CC BY-SA 4.0), ${count('arc-challenge')} prompts; MBPP (CC BY 4.0), ${count('mbpp')} prompts; RouterBench's
  \`mistralai/mixtral-8x7b-chat\` taken as the weak model, rows lacking either model's result dropped.

Label: the weak model's recorded answer was correct.

## Features (${priorFeatureNames(true).length})
The router engine's ${LEXICAL_FEATURE_NAMES.length} lexical features of the prompt and the 512-d USE-lite
embedding (\`UseLiteEmbedder\`). A second, lexical-only network in \`meta.json\` is used when a request
has no embedding.

## Leave one family out
Each family is scored by a prior trained on the other three with the shipped recipe, its coverage
calibrated on those three alone, so the reported family is used for nothing but the score (APGR and CPT
are RouteLLM's definitions; ties move together and count as a random tie-break, so a constant prior —
every prompt outside — has APGR exactly 0.5; AUC is against the weak-correct label). In brackets: the share
of the family's prompts inside the coverage. "no coverage check" is the same network's own guess for
every prompt. "shipped before this run" is the prior this run replaced, as it was (trained on all four
families, so its numbers are not held out).

| evaluation | MMLU APGR | AUC | GSM8K APGR | AUC | ARC APGR | AUC | MBPP APGR | AUC |
|---|---|---|---|---|---|---|---|---|
${rows}

ONNX parity: max |onnxruntime − TypeScript| = ${onnxParity.toExponential(2)} on 300 prompts.

## Limits
- One weak/strong pair; other pairs and real traffic differ. Use it as the bandit's starting point and
  let outcomes correct it.
- The coverage check can only say a prompt is unlike the training prompts; a prompt like them can
  still be one the network gets wrong.
- The threshold is set by the family hardest to tell apart, so the coverage is tight: even on its own
  training prompts the prior answers for only part of each family (the last row above) and gives the
  neutral prior to the rest. Retrain it on your traffic with \`tokenomics train\` (docs/training.md).

## Rebuild
\`\`\`
npx tsx scripts/router/embed-routing-prompts.ts          # warms the embedding cache (about an hour on a loaded 2-core machine)
${commandLine()}
\`\`\`
`;
}
