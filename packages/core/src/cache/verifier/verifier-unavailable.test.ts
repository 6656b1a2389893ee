import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('onnxruntime-node', () => {
  throw new Error("Cannot find package 'onnxruntime-node'");
});

describe('without onnxruntime-node', () => {
  it('OnnxPairVerifier.load throws a typed error naming the package', async () => {
    const { OnnxPairVerifier } = await import('./onnx-pair-verifier');
    const { VerifierUnavailableError } = await import('./verifier-unavailable-error');
    const error = await OnnxPairVerifier.load().catch((caught: unknown) => caught);
    expect(VerifierUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('onnxruntime-node');
  });

  it('loadPairVerifier falls back to the TypeScript verifier with the same threshold', async () => {
    const { loadPairVerifier } = await import('./load-pair-verifier');
    const { LogisticPairVerifier } = await import('./logistic-pair-verifier');
    const verifier = await loadPairVerifier();
    expect(verifier).toBeInstanceOf(LogisticPairVerifier);
    expect(verifier.threshold).toBe(LogisticPairVerifier.load().threshold);
  });
});

describe('readVerifierModel', () => {
  it('refuses a model trained on other features instead of feeding it the wrong columns', async () => {
    const { readVerifierModel, shippedModelFile } = await import('./shipped-model');
    const meta = JSON.parse(readFileSync(shippedModelFile('meta.json'), 'utf8'));
    const folder = mkdtempSync(join(tmpdir(), 'verifier-'));
    writeFileSync(join(folder, 'meta.json'), JSON.stringify({ ...meta, features: ['similarity'] }));
    expect(() => readVerifierModel(join(folder, 'meta.json'))).toThrow(/trained on features \[similarity\]/);
  });
});
