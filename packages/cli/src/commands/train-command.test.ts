import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HashingEmbedder,
  loadAnswerScorer,
  loadOutputLengthPredictor,
  loadPairVerifier,
  loadRouterPrior,
  promptRouteFeatures,
} from '@tokenomics/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUniform } from '../bench/seeded-uniform';
import { runCli } from './run-cli';

// Constructed traffic (a TEST, not a benchmark): the cheap model answers short arithmetic well and
// long proofs badly; proofs get long answers; cache hits on a paraphrase are right, on another number wrong.
const CHEAP = 'cheap-model';
const STRONG = 'strong-model';
let folder: string;
let out: string;
let exitCode: number;
let output = '';

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tokenomics-train-'));
  out = join(folder, 'models');
  writeTraffic(folder);
  exitCode = await runCli(
    [
      'train',
      ...['--ledger', join(folder, 'ledger.jsonl'), '--traces', join(folder, 'traces.jsonl')],
      ...['--feedback', join(folder, 'feedback.jsonl'), '--out', out, '--embedder', 'hashing'],
    ],
    { out: (text) => (output += text), err: () => {} },
  );
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('tokenomics train (from a deployment ledger, traces and feedback)', () => {
  it('writes the four models with model cards and a leave-out report', () => {
    expect(exitCode).toBe(0);
    for (const name of ['router-prior', 'answer-scorer', 'output-length', 'cache-verifier']) {
      for (const file of ['model.onnx', 'meta.json', 'MODEL_CARD.md'])
        expect(existsSync(join(out, name, file)), `${name}/${file}`).toBe(true);
      expect(readFileSync(join(out, name, 'MODEL_CARD.md'), 'utf8')).toContain('leave one group out');
    }
    expect(output).toContain('router-prior: 160 examples');
  });

  it('the retrained prior, loaded from its folder, expects the cheap model to do well where it did', async () => {
    const prior = await loadRouterPrior({ folder: join(out, 'router-prior'), runtime: 'typescript' });
    const embedder = new HashingEmbedder();
    const [easy, hard] = await embedder.embed([arithmetic(3, 4), proof('prime numbers')]);
    const easyPrior = await prior.predictUnchecked(promptRouteFeatures(arithmetic(3, 4), easy));
    const hardPrior = await prior.predictUnchecked(promptRouteFeatures(proof('prime numbers'), hard));
    expect(easyPrior).toBeGreaterThan(hardPrior + 0.2);
  });

  it('the answer scorer, output-length model and verifier load from their folders and learned the traffic', async () => {
    const scorer = await loadAnswerScorer({ folder: join(out, 'answer-scorer'), runtime: 'typescript' });
    expect(scorer).toBeDefined();
    const lengths = loadOutputLengthPredictor({ folder: join(out, 'output-length') });
    expect(lengths.predict(promptRouteFeatures(proof('the triangle inequality')))).toBeGreaterThan(
      3 * lengths.predict(promptRouteFeatures(arithmetic(5, 8))),
    );
    const verifier = await loadPairVerifier({ folder: join(out, 'cache-verifier'), preferOnnx: false });
    const [paraphrase, otherNumber] = await verifier.score([
      { stored: 'What is the price of plan 12?', query: 'How much does plan 12 cost?', similarity: 0.9 },
      { stored: 'What is the price of plan 12?', query: 'What is the price of plan 31?', similarity: 0.95 },
    ]);
    expect(paraphrase!).toBeGreaterThan(otherNumber!);
  });

  it('says which models it could not train, and fails when it trained none', async () => {
    writeFileSync(
      join(folder, 'few.jsonl'),
      `${JSON.stringify({ traceId: 'x', prompt: 'hi', model: CHEAP, good: true })}\n`,
    );
    let text = '';
    const code = await runCli(
      [
        'train',
        '--ledger',
        join(folder, 'ledger.jsonl'),
        '--feedback',
        join(folder, 'few.jsonl'),
        '--out',
        join(folder, 'none'),
        '--embedder',
        'hashing',
      ],
      { out: (line) => (text += line), err: () => {} },
    );
    expect(code).toBe(1);
    expect(text).toContain('router-prior: not trained');
  });
});

function arithmetic(a: number, b: number): string {
  return `What is ${a} plus ${b}?`;
}

function proof(topic: string): string {
  return `Write a detailed, rigorous proof about ${topic}, covering every lemma, every edge case and a full justification of each step, then discuss how the argument generalizes.`;
}

function writeTraffic(target: string): void {
  const random = seededUniform(11);
  const topics = ['prime numbers', 'graph colouring', 'convex sets', 'matrix rank', 'group orders', 'limits'];
  const ledger: unknown[] = [];
  const traces: unknown[] = [];
  const feedback: unknown[] = [];
  const call = (traceId: string, model: string, outputTokens: number, group: string) => {
    const usage = { inputTokens: 40, outputTokens };
    ledger.push({
      traceId,
      at: 1_760_000_000_000 + ledger.length,
      model,
      baselineModel: STRONG,
      scope: { namespace: group },
      stage: model === STRONG ? 'none' : 'router',
      spent: { usage, tokens: 40 + outputTokens, dollars: 0 },
      baseline: { usage, tokens: 40 + outputTokens, dollars: 0 },
      saved: { tokens: 0, dollars: 0 },
      priceKnown: true,
    });
    traces.push({ id: traceId, startedAt: 0, request: { model: STRONG, messages: 1 }, steps: [] });
  };
  for (let index = 0; index < 200; index++) {
    const hard = index % 2 === 1;
    const group = index % 4 < 2 ? 'support' : 'tutoring';
    const model = index < 160 ? CHEAP : STRONG;
    const prompt = hard
      ? proof(`${topics[index % topics.length]} (case ${index})`)
      : arithmetic(index, Math.floor(random() * 50));
    const good = model === STRONG || (hard ? random() < 0.1 : random() < 0.9);
    const outputTokens = hard ? 300 + Math.floor(random() * 200) : 5 + Math.floor(random() * 10);
    const traceId = `t${index}`;
    call(traceId, model, outputTokens, group);
    const answer = good ? `The answer is ${index}.` : 'I am not sure; it might be something else, perhaps.';
    feedback.push({ traceId, prompt, answer, good });
  }
  for (let index = 0; index < 60; index++) {
    const traceId = `c${index}`;
    const plan = 10 + index;
    const right = index % 2 === 0;
    call(traceId, STRONG, 0, index % 4 < 2 ? 'support' : 'tutoring');
    feedback.push({
      kind: 'cache-hit',
      traceId,
      query: right ? `How much does plan ${plan} cost?` : `What is the price of plan ${plan + 7}?`,
      cachedQuery: `What is the price of plan ${plan}?`,
      similarity: right ? 0.88 + random() * 0.05 : 0.93 + random() * 0.05,
      good: right,
    });
  }
  const jsonl = (lines: unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
  writeFileSync(join(target, 'ledger.jsonl'), jsonl(ledger));
  writeFileSync(join(target, 'traces.jsonl'), jsonl(traces));
  writeFileSync(join(target, 'feedback.jsonl'), jsonl(feedback));
}
