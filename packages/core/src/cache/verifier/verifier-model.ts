/** A dense layer: `output = activation(weights · input + bias)`, weights as [output][input]. */
export type DenseLayer = {
  weights: number[][];
  bias: number[];
  activation: 'relu' | 'sigmoid' | 'none';
};

/**
 * What `meta.json` beside the shipped `model.onnx` holds: the same network in plain numbers (for
 * the pure-TypeScript fallback), the feature list it was trained on, the operating thresholds,
 * and the held-out metrics the model card quotes.
 */
export type VerifierModel = {
  format: 'tokenomics-pair-verifier/1';
  /** Feature names in input order; must equal `PAIR_FEATURES` to be used. */
  features: string[];
  layers: DenseLayer[];
  /** Minimum probability for a hit, picked on the validation split. */
  threshold: number;
  /** Id of the embedder whose cosine similarities the model was trained on. */
  embedder: string;
  /** Settings the cache should use with this model. */
  recommended: { similarityThreshold: number; verifierThreshold: number };
  metrics?: unknown;
};

/** The network's probability for one feature vector, computed in double precision. */
export function forward(model: Pick<VerifierModel, 'layers'>, features: ArrayLike<number>): number {
  let values: number[] = Array.from(features);
  for (const layer of model.layers) {
    const next = layer.weights.map((row, output) => {
      let sum = layer.bias[output] ?? 0;
      for (let input = 0; input < row.length; input++) sum += row[input]! * (values[input] ?? 0);
      return activate(sum, layer.activation);
    });
    values = next;
  }
  const probability = values[0];
  if (probability === undefined) throw new Error('verifier model has no output');
  return probability;
}

function activate(value: number, activation: DenseLayer['activation']): number {
  if (activation === 'relu') return Math.max(0, value);
  if (activation === 'sigmoid') return 1 / (1 + Math.exp(-value));
  return value;
}
