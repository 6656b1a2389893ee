import type { DenseLayer } from '@tokenomics/core';
import { seededUniform } from '../bench/seeded-uniform';

export type TrainingOptions = {
  /** Hidden units; 0 trains a logistic regression. */
  hidden: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty on weights (not biases). */
  l2: number;
  seed: number;
};

/**
 * Trains a small network (logistic regression, or one ReLU hidden layer then a sigmoid) with
 * full-batch Adam on standardized features, deterministically (seeded initialization, no
 * shuffling). Classes are weighted to balance. The returned layers take raw features: the
 * standardization is folded into the first layer, so the ONNX graph needs no extra nodes.
 */
export function trainNetwork(
  features: Float64Array[],
  labels: number[],
  options: TrainingOptions,
): DenseLayer[] {
  const width = features[0]?.length ?? 0;
  const { mean, scale } = standardization(features);
  const inputs = features.map((row) => row.map((value, index) => (value - mean[index]!) / scale[index]!));
  const positives = labels.filter((label) => label === 1).length;
  const weightOf = (label: number) =>
    label === 1 ? labels.length / (2 * positives) : labels.length / (2 * (labels.length - positives));
  const sampleWeights = labels.map(weightOf);
  const random = { next: seededUniform(options.seed) };
  const init = (fanIn: number) => (random.next() * 2 - 1) * Math.sqrt(6 / (fanIn + 1));

  const shapes: Array<[number, number]> =
    options.hidden > 0
      ? [
          [options.hidden, width],
          [1, options.hidden],
        ]
      : [[1, width]];
  const params = shapes.map(([outputs, fanIn]) => ({
    weights: Array.from({ length: outputs }, () => Float64Array.from({ length: fanIn }, () => init(fanIn))),
    bias: new Float64Array(outputs),
  }));
  const adam = params.map((layer) => ({
    weights: layer.weights.map((row) => ({
      m: new Float64Array(row.length),
      v: new Float64Array(row.length),
    })),
    bias: { m: new Float64Array(layer.bias.length), v: new Float64Array(layer.bias.length) },
  }));
  const beta1 = 0.9;
  const beta2 = 0.999;
  const totalWeight = sampleWeights.reduce((sum, weight) => sum + weight, 0);

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const gradients = params.map((layer) => ({
      weights: layer.weights.map((row) => new Float64Array(row.length)),
      bias: new Float64Array(layer.bias.length),
    }));
    inputs.forEach((input, sample) => {
      // Forward.
      const activations: Float64Array[] = [input];
      params.forEach((layer, layerIndex) => {
        const previous = activations[layerIndex]!;
        const isLast = layerIndex === params.length - 1;
        activations.push(
          Float64Array.from(layer.weights, (row, output) => {
            let sum = layer.bias[output]!;
            for (let index = 0; index < row.length; index++) sum += row[index]! * previous[index]!;
            return isLast ? 1 / (1 + Math.exp(-sum)) : Math.max(0, sum);
          }),
        );
      });
      // Backward: cross-entropy through a sigmoid gives (prediction - label) at the output.
      let delta = Float64Array.of((activations.at(-1)![0]! - labels[sample]!) * sampleWeights[sample]!);
      for (let layerIndex = params.length - 1; layerIndex >= 0; layerIndex--) {
        const layer = params[layerIndex]!;
        const previous = activations[layerIndex]!;
        const gradient = gradients[layerIndex]!;
        const nextDelta = new Float64Array(previous.length);
        layer.weights.forEach((row, output) => {
          const outputDelta = delta[output]!;
          gradient.bias[output]! += outputDelta;
          const rowGradient = gradient.weights[output]!;
          for (let index = 0; index < row.length; index++) {
            rowGradient[index]! += outputDelta * previous[index]!;
            nextDelta[index]! += outputDelta * row[index]!;
          }
        });
        if (layerIndex > 0)
          for (let index = 0; index < nextDelta.length; index++)
            if (previous[index]! <= 0) nextDelta[index] = 0;
        delta = nextDelta;
      }
    });
    const correction1 = 1 - beta1 ** epoch;
    const correction2 = 1 - beta2 ** epoch;
    const step = (
      value: Float64Array,
      gradient: Float64Array,
      state: { m: Float64Array; v: Float64Array },
      penalty: number,
    ) => {
      for (let index = 0; index < value.length; index++) {
        const g = gradient[index]! / totalWeight + penalty * value[index]!;
        state.m[index] = beta1 * state.m[index]! + (1 - beta1) * g;
        state.v[index] = beta2 * state.v[index]! + (1 - beta2) * g * g;
        value[index]! -=
          (options.learningRate * (state.m[index]! / correction1)) /
          (Math.sqrt(state.v[index]! / correction2) + 1e-8);
      }
    };
    params.forEach((layer, layerIndex) => {
      layer.weights.forEach((row, output) => {
        step(row, gradients[layerIndex]!.weights[output]!, adam[layerIndex]!.weights[output]!, options.l2);
      });
      step(layer.bias, gradients[layerIndex]!.bias, adam[layerIndex]!.bias, 0);
    });
  }

  // Fold (x - mean) / scale into the first layer: w' = w / scale, b' = b - Σ w·mean/scale.
  return params.map((layer, layerIndex) => {
    const isFirst = layerIndex === 0;
    const isLast = layerIndex === params.length - 1;
    const weights = layer.weights.map((row) =>
      Array.from(row, (weight, index) => (isFirst ? weight / scale[index]! : weight)),
    );
    const bias = Array.from(layer.bias, (value, output) =>
      isFirst
        ? value -
          layer.weights[output]!.reduce(
            (sum, weight, index) => sum + (weight * mean[index]!) / scale[index]!,
            0,
          )
        : value,
    );
    return { weights, bias, activation: isLast ? 'sigmoid' : 'relu' } satisfies DenseLayer;
  });
}

function standardization(rows: readonly Float64Array[]): { mean: number[]; scale: number[] } {
  const width = rows[0]?.length ?? 0;
  const mean = new Array<number>(width).fill(0);
  const variance = new Array<number>(width).fill(0);
  for (const row of rows) {
    for (let index = 0; index < width; index++) mean[index]! += row[index]! / rows.length;
  }
  for (const row of rows) {
    for (let index = 0; index < width; index++)
      variance[index]! += (row[index]! - mean[index]!) ** 2 / rows.length;
  }
  // A constant feature (e.g. no pair has a reversed order) keeps scale 1 instead of dividing by zero.
  return { mean, scale: variance.map((value) => (value > 1e-12 ? Math.sqrt(value) : 1)) };
}
