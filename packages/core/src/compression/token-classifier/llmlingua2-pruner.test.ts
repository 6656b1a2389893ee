import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compressText } from '../compress-text';
import { ClassifierModelError } from './classifier-model-error';
import { loadLlmlingua2Pruner } from './llmlingua2-pruner';
import { writeTinyClassifier } from './tiny-classifier-fixture';

const IMPORTANT = ['▁bridge', '▁opened', '▁workers', '▁harbor', '▁built'];
const FILLER = ['▁um', '▁basically', '▁like', '▁really', '▁just', '▁so'];
const folder = writeTinyClassifier([
  ...IMPORTANT.map((piece) => ({ piece, keepLogit: 4 })),
  ...FILLER.map((piece) => ({ piece, keepLogit: -4 })),
]);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const SENTENCE = 'So um the harbor bridge basically opened in 1932, like really just built by 1400 workers.';

describe('loadLlmlingua2Pruner', () => {
  it('runs the ONNX classifier and keeps high-probability words, numbers and force tokens', async () => {
    const pruner = await loadLlmlingua2Pruner({ modelPath: folder });
    const tokens = await pruner.classify(SENTENCE);
    const bridge = tokens.find((token) => token.piece === '▁bridge')!;
    const filler = tokens.find((token) => token.piece === '▁basically')!;
    expect(bridge.probability).toBeCloseTo(1 / (1 + Math.exp(-4)));
    expect(filler.probability).toBeCloseTo(1 / (1 + Math.exp(4)));
    // Forced words (digits weigh 3 cl100k tokens each here) fill part of the rate.
    const output = await pruner.compress(SENTENCE, { rate: 0.6 });
    for (const word of ['harbor', 'bridge', 'opened', '1932', 'built', '1400', 'workers'])
      expect(output).toContain(word);
    for (const word of [' um ', 'basically', 'really']) expect(output).not.toContain(word);
    expect(output.endsWith('.')).toBe(true);
  });

  it('chunks long input to the model length and still keeps the right words', async () => {
    const pruner = await loadLlmlingua2Pruner({ modelPath: folder, maxSequenceLength: 24 });
    const text = Array.from({ length: 6 }, () => SENTENCE).join(' ');
    const output = await pruner.compress(text, { rate: 0.5 });
    expect(output.match(/harbor bridge/g)).toHaveLength(6);
    expect(output).not.toContain('basically');
  });

  it('prunes inside the sentences that selection kept when used as the prune method', async () => {
    const pruner = await loadLlmlingua2Pruner({ modelPath: folder });
    const filler = 'The cafeteria menu changes every week and usually offers soup, salad and a warm dish. ';
    const text = filler
      .repeat(1)
      .concat(SENTENCE, ' ', 'Parking rules changed in spring for all staff members. ');
    const result = await compressText(text.repeat(1), {
      rate: 0.5,
      question: 'when was the harbor bridge opened',
      minTokens: 0,
      pruner,
      pruneRate: 0.6,
    });
    expect(result.methods).toEqual(['lossless', 'select', 'prune']);
    expect(result.text).toContain('harbor bridge');
    expect(result.text).toContain('1932');
    expect(result.text).not.toContain('basically');
  });

  it('throws a typed error for a folder without a model', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-model-'));
    await expect(loadLlmlingua2Pruner({ modelPath: empty })).rejects.toSatisfy(
      ClassifierModelError.isInstance,
    );
    rmSync(empty, { recursive: true });
    expect(existsSync(join(folder, 'model.onnx'))).toBe(true);
  });
});
