import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DenseLayer } from '../../packages/core/src/cache/verifier/verifier-model';
import { round } from './routing-training-data';

/** Weights and biases to 6 decimals: meta.json stays small and diffs between retrainings stay readable. */
export function roundLayers(layers: readonly DenseLayer[]): DenseLayer[] {
  return layers.map((layer) => ({
    ...layer,
    weights: layer.weights.map((row) => row.map((value) => round(value, 6))),
    bias: layer.bias.map((value) => round(value, 6)),
  }));
}

/** Writes model.onnx and meta.json to models/<name>/ and to the copy shipped in packages/core/models/<name>/. */
export function writeModelFiles(name: string, onnx: Uint8Array, meta: unknown): void {
  for (const folder of [`models/${name}`, `packages/core/models/${name}`]) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'model.onnx'), onnx);
    writeFileSync(join(folder, 'meta.json'), `${JSON.stringify(meta)}\n`);
  }
}
