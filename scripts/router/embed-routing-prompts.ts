/**
 * Embeds the RouteLLM MMLU and GSM8K prompts, RouterBench's ARC-Challenge and MBPP prompts (and, with
 * --llmrouter, LLMRouter's questions) with
 * USE-lite into the routing embedding cache, so training and the benchmark start from cached vectors.
 * Resumable. With --mmlu-sample N only the MMLU prompts that train-router-prior.ts samples with the same
 * --seed and --mmlu-sample are embedded (the whole of MMLU takes hours on a loaded 2-core machine).
 *
 *   npx tsx scripts/router/embed-routing-prompts.ts [--datasets ../shared/datasets] [--llmrouter]
 *     [--seed 7 --mmlu-sample 4000]
 */
import { join } from 'node:path';
import { importLlmRouter } from '../../packages/cli/src/bench/routing/import-llmrouter';
import { importRouteLlm } from '../../packages/cli/src/bench/routing/import-routellm';
import { importRouterBench } from '../../packages/cli/src/bench/routing/import-routerbench';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import { seededUniform } from '../../packages/cli/src/bench/seeded-uniform';
import { argument, trainingArguments } from '../script-arguments';
import { loadFamilies } from './routing-training-data';

const { datasets, seed } = trainingArguments();
const mmluSample = Number(argument('mmlu-sample', 'Infinity'));
const routellm = join(datasets, 'routing', 'routellm');
const trainingPrompts = Number.isFinite(mmluSample)
  ? (await loadFamilies(datasets, { mmluSample, random: seededUniform(seed) })).map((record) => record.prompt)
  : [
      ...importRouteLlm(join(routellm, 'gsm8k')).records,
      ...importRouterBench(join(datasets, 'routing', 'routerbench')).records,
      ...importRouteLlm(join(routellm, 'mmlu')).records,
    ].map((record) => record.prompt);
const prompts = [
  ...trainingPrompts,
  ...(process.argv.includes('--llmrouter')
    ? importLlmRouter(join(datasets, 'routing', 'llmrouter')).records.map((record) => record.prompt)
    : []),
];
const started = Date.now();
const vectors = await embedPrompts(prompts, {
  onProgress: (done, total) => {
    if (done === total || done % 640 === 0)
      process.stderr.write(`embedded ${done}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  },
});
process.stdout.write(`${vectors.size} prompts embedded\n`);
