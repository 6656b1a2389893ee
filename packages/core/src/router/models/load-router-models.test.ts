import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAnswerQualityModel, loadAnswerScorer } from './load-answer-scorer';
import { loadOutputLengthPredictor } from './load-output-length';
import { loadRouterPrior } from './load-router-prior';
import { promptRouteFeatures } from './prior-features';
import { shippedRouterModelFile } from './router-model-file';
import { RouterModelUnavailableError } from './router-model-unavailable-error';

const usage = { inputTokens: 10, outputTokens: 20 };
const prompt = 'Tom has 5 apples and buys 7 more. He gives away 3. How many apples does he have?';
const right = '5 + 7 = 12 apples. 12 - 3 = 9 apples.\n#### 9';
const wrong = 'Maybe 5 + 7 = 13, so perhaps 13 - 3 = 11, assuming he keeps some';

describe('shipped answer scorer', () => {
  it('runs the same network in ONNX and in TypeScript', async () => {
    const onnx = await loadAnswerQualityModel({ runtime: 'onnx' });
    const typescript = await loadAnswerQualityModel({ runtime: 'typescript' });
    for (const answerText of [right, wrong]) {
      const input = { prompt, answerText, finishReason: 'stop' as const, usage };
      expect(await onnx.predict(input)).toBeCloseTo(await typescript.predict(input), 5);
    }
    await onnx.close();
  });

  it('rates an answer lower when it corrects itself or refuses (cues learned from GSM8K)', async () => {
    const model = await loadAnswerQualityModel({ runtime: 'typescript' });
    const score = (answerText: string) => model.predict({ prompt, answerText, finishReason: 'stop', usage });
    const clean = await score(right);
    expect(await score(`Wait, actually I made a mistake. ${right}`)).toBeLessThan(clean);
    expect(await score(`I can't be sure. ${right}`)).toBeLessThan(clean);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
  });

  it('plugs into cascades as an AnswerScorer', async () => {
    const scorer = await loadAnswerScorer({ runtime: 'typescript' });
    const result = await scorer.score({
      request: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }] },
      answer: { content: [{ type: 'text', text: right }], finishReason: 'stop', usage } as never,
      tier: { id: 'cheap', model: 'm' },
      random: () => 0.5,
    });
    expect(result?.scorer).toContain('tokenomics-answer-scorer');
    expect(result?.score).toBeGreaterThan(0);
  });

  it('throws a typed error for a folder without a model', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'no-model-'));
    await expect(loadAnswerQualityModel({ folder })).rejects.toSatisfy(
      RouterModelUnavailableError.isInstance,
    );
    writeFileSync(join(folder, 'meta.json'), JSON.stringify({ format: 'other', features: [], layers: [] }));
    await expect(loadAnswerQualityModel({ folder })).rejects.toThrow(/not a tokenomics-answer-scorer/);
  });
});

describe('shipped output-length predictor', () => {
  it('predicts more tokens for a frontier model and a larger p90 budget than its mean', () => {
    const predictor = loadOutputLengthPredictor();
    const features = promptRouteFeatures(prompt);
    const open = predictor.predict(features);
    expect(open).toBeGreaterThan(10);
    expect(open).toBeLessThan(1000);
    expect(predictor.predict(features, { frontier: true })).not.toBe(open);
    expect(predictor.predict(features, { quantile: 0.9 })).toBeGreaterThan(open);
  });
});

const priorShipped = (() => {
  try {
    return existsSync(shippedRouterModelFile('router-prior', 'meta.json'));
  } catch {
    return false;
  }
})();

describe.runIf(priorShipped)('shipped router prior', () => {
  it('gives a probability with and without an embedding, the same in ONNX and TypeScript', async () => {
    const onnx = await loadRouterPrior({ runtime: 'onnx' });
    const typescript = await loadRouterPrior({ runtime: 'typescript' });
    const embedding = new Float32Array(512).map((_, index) => Math.sin(index) / 16);
    const withEmbedding = promptRouteFeatures(prompt, embedding);
    const p = await onnx.predictUnchecked(withEmbedding);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(p).toBeCloseTo(await typescript.predictUnchecked(withEmbedding), 5);
    const lexicalOnly = await typescript.predictUnchecked(promptRouteFeatures(prompt));
    expect(lexicalOnly).toBeGreaterThan(0);
    expect(lexicalOnly).toBeLessThan(1);
    await onnx.close();
  });

  it('gives a prompt unlike its training data the neutral prior instead of a guess', async () => {
    const prior = await loadRouterPrior({ runtime: 'typescript' });
    type Space = { centroids: number[]; dimensions: number; mean?: number[]; scale?: number[] };
    const meta = JSON.parse(readFileSync(shippedRouterModelFile('router-prior', 'meta.json'), 'utf8')) as {
      coverage: { embedding: Space; lexical: Space };
      neutralPrior: number;
    };
    // A prompt at training centroids in both spaces (topic and form) lies inside: the network's own probability.
    const { lexical } = meta.coverage;
    const inside = {
      ...promptRouteFeatures(prompt, Float32Array.from(meta.coverage.embedding.centroids.slice(0, 512))),
      lexical: Float64Array.from(
        lexical.centroids.slice(0, lexical.dimensions),
        (value, index) => value * lexical.scale![index]! + lexical.mean![index]!,
      ),
    };
    expect(prior.coverage(inside)?.covered).toBe(true);
    expect(await prior.predict(inside)).toBe(await prior.predictUnchecked(inside));
    // The opposite direction of every centroid is far from all of them.
    const mean = new Float32Array(512);
    const { centroids } = meta.coverage.embedding;
    for (let index = 0; index < centroids.length; index++) mean[index % 512]! -= centroids[index]!;
    const norm = Math.hypot(...mean);
    const outside = promptRouteFeatures(
      prompt,
      mean.map((value) => value / norm),
    );
    expect(prior.coverage(outside)?.covered).toBe(false);
    // By default the neutral prior: the middle of what the network says on its training prompts.
    expect(await prior.predict(outside)).toBe(meta.neutralPrior);
    expect(meta.neutralPrior).toBeGreaterThan(0.2);
    expect(meta.neutralPrior).toBeLessThan(0.9);
    const conservative = await loadRouterPrior({ runtime: 'typescript', outOfCoveragePrior: 0 });
    expect(await conservative.prior(outside)).toBe(0);
  });
});
