/**
 * Embeds QQP questions with USE-lite on onnxruntime and on tfjs and prints how close the two
 * vectors of each question are (cosine), and the CPU time each runtime spent per question, one
 * question at a time. The onnxruntime path must give the same vectors: every cosine ≥ 0.9999.
 * Then the CPU time of one query by its length (2, ~25 and ~100 words) on each runtime: what a
 * call costs whatever its length (per-kernel overhead) against what grows with the tokens.
 *
 *   npx tsx scripts/check-use-lite-runtimes.ts [--datasets ../shared/datasets] [--questions 400]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cosineSimilarity, UseLiteEmbedder } from '../packages/core/src/index';
import { argument, trainingArguments } from './script-arguments';

/** Words the model's vocabulary holds whole, so a text of N of them is about N tokens. */
const COMMON_WORDS =
  'the time people year way day man thing woman life child world school state family student group country problem hand part place case week company system program question work government number night point home water room mother area money story fact month lot right study book eye job word business issue side kind head house service friend father power hour game line end member law car city community name president team minute idea kid body information back parent face others level office door health person art war history party result change morning reason research girl guy moment air teacher force education'.split(
    ' ',
  );

const { datasets } = trainingArguments();
const wanted = Number(argument('questions', '400'));
const lines = gunzipSync(readFileSync(join(datasets, 'cache', 'qqp', 'pairs.jsonl.gz')))
  .toString('utf8')
  .split('\n');
const questions = [
  ...new Set(
    lines
      .filter(Boolean)
      .flatMap((line) => Object.values(JSON.parse(line) as { a: string; b: string }).slice(0, 2) as string[]),
  ),
].slice(0, wanted);

const onnx = new UseLiteEmbedder({ batchSize: 1 });
const tfjs = new UseLiteEmbedder({ batchSize: 1, runtime: 'tfjs' });
process.stdout.write(`runtimes: ${await onnx.runtime()} and ${await tfjs.runtime()}\n`);
const cpu = { onnx: 0, tfjs: 0 };
const similarities: number[] = [];
for (const question of questions) {
  const [fast] = await timed('onnx', () => onnx.embed([question]));
  const [reference] = await timed('tfjs', () => tfjs.embed([question]));
  similarities.push(cosineSimilarity(fast!, reference!));
}
const below = similarities.filter((similarity) => similarity < 0.9999).length;
process.stdout.write(
  `${questions.length} QQP questions: cosine min ${Math.min(...similarities).toFixed(7)}, ` +
    `mean ${(similarities.reduce((sum, value) => sum + value, 0) / similarities.length).toFixed(7)}, ` +
    `${below} below 0.9999\n` +
    `CPU ms per question: onnxruntime ${(cpu.onnx / questions.length).toFixed(2)}, tfjs ${(cpu.tfjs / questions.length).toFixed(2)}\n`,
);
for (const words of [2, 25, 100]) {
  const text = (index: number) =>
    Array.from({ length: words }, (_, word) => COMMON_WORDS[(index * 7 + word) % COMMON_WORDS.length]).join(
      ' ',
    );
  const before = { ...cpu };
  const runs = 50;
  for (let index = 0; index < runs; index++) {
    await timed('onnx', () => onnx.embed([`${text(index)} ${index}`]));
    await timed('tfjs', () => tfjs.embed([`${text(index)} ${index}`]));
  }
  process.stdout.write(
    `${words} words: CPU ms per query onnxruntime ${((cpu.onnx - before.onnx) / runs).toFixed(2)}, ` +
      `tfjs ${((cpu.tfjs - before.tfjs) / runs).toFixed(2)}\n`,
  );
}
if (below > 0) process.exitCode = 1;

async function timed<T>(runtime: 'onnx' | 'tfjs', run: () => Promise<T>): Promise<T> {
  const before = process.cpuUsage();
  const result = await run();
  const spent = process.cpuUsage(before);
  cpu[runtime] += (spent.user + spent.system) / 1000;
  return result;
}
