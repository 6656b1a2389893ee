/**
 * Embeds the RouteLLM MMLU and GSM8K prompts, RouterBench's ARC-Challenge and MBPP prompts (and, with
 * --llmrouter, LLMRouter's questions) with
 * USE-lite into the routing embedding cache, so training and the benchmark start from cached vectors.
 * Several minutes on two cores; resumable.
 *
 *   npx tsx scripts/router/embed-routing-prompts.ts [--datasets ../shared/datasets] [--llmrouter]
 */
import { join } from 'node:path';
import { importLlmRouter } from '../../packages/cli/src/bench/routing/import-llmrouter';
import { importRouteLlm } from '../../packages/cli/src/bench/routing/import-routellm';
import { importRouterBench } from '../../packages/cli/src/bench/routing/import-routerbench';
import { embedPrompts } from '../../packages/cli/src/bench/routing/prompt-embeddings';
import { trainingArguments } from '../script-arguments';

const { datasets } = trainingArguments();
const routellm = join(datasets, 'routing', 'routellm');
const prompts = [
  ...importRouteLlm(join(routellm, 'gsm8k')).records,
  ...importRouterBench(join(datasets, 'routing', 'routerbench')).records,
  ...importRouteLlm(join(routellm, 'mmlu')).records,
  ...(process.argv.includes('--llmrouter')
    ? importLlmRouter(join(datasets, 'routing', 'llmrouter')).records
    : []),
].map((record) => record.prompt);
const started = Date.now();
const vectors = await embedPrompts(prompts, {
  onProgress: (done, total) => {
    if (done === total || done % 640 === 0)
      process.stderr.write(`embedded ${done}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  },
});
process.stdout.write(`${vectors.size} prompts embedded\n`);
