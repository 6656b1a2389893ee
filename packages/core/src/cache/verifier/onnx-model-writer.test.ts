import { describe, expect, it } from 'vitest';
import { writeOnnxModel } from './onnx-model-writer';
import { type DenseLayer, forward } from './verifier-model';

function layer(
  outputs: number,
  inputs: number,
  activation: DenseLayer['activation'],
  seed: number,
): DenseLayer {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return {
    weights: Array.from({ length: outputs }, () => Array.from({ length: inputs }, () => next() * 3)),
    bias: Array.from({ length: outputs }, () => next()),
    activation,
  };
}

async function runOnnx(model: Uint8Array, rows: number[][]): Promise<number[]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(model);
  const width = rows[0]!.length;
  const input = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, width]);
  const output = await session.run({ features: input });
  await session.release();
  return Array.from(output.probability!.data as Float32Array);
}

const rows = [
  [0.99, 0.1, 0.5, 0, 1, 0.3],
  [0.5, 0.9, 0.2, 1, 0, 0.7],
  [0, 0, 0, 0, 0, 0],
  [-0.3, 2.5, 1, 0.25, 0.5, 1],
];

describe('writeOnnxModel', () => {
  it('writes a logistic regression that onnxruntime runs with the same outputs as the TypeScript forward pass', async () => {
    const layers = [layer(1, 6, 'sigmoid', 7)];
    const outputs = await runOnnx(writeOnnxModel({ layers }), rows);
    rows.forEach((row, index) => {
      expect(Math.abs(outputs[index]! - forward({ layers }, row))).toBeLessThan(1e-5);
    });
  });

  it('writes a hidden ReLU layer too, with metadata', async () => {
    const layers = [layer(8, 6, 'relu', 3), layer(1, 8, 'sigmoid', 5)];
    const model = writeOnnxModel({ layers, metadata: { threshold: '0.5' } });
    const outputs = await runOnnx(model, rows);
    rows.forEach((row, index) => {
      expect(Math.abs(outputs[index]! - forward({ layers }, row))).toBeLessThan(1e-5);
    });
    // Outputs differ between rows: the graph really uses its weights.
    expect(new Set(outputs.map((value) => value.toFixed(4))).size).toBeGreaterThan(1);
  });
});
