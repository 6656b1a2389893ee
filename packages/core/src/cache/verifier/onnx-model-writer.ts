import {
  type Encoded,
  floatTensor,
  intAttribute,
  node,
  onnxModel,
  valueInfo,
} from '../../util/onnx-protobuf';
import type { DenseLayer } from './verifier-model';

/**
 * Writes a stack of dense layers as an ONNX model (opset 13): Gemm (with transB) per layer,
 * then Relu or Sigmoid. Input `features` [N, F] float32, output `probability` [N, 1].
 *
 * Encoded with `util/onnx-protobuf.ts`, so training needs no protobuf or ONNX tooling.
 */
export function writeOnnxModel(options: {
  layers: readonly DenseLayer[];
  inputName?: string;
  outputName?: string;
  producer?: string;
  /** The graph's name (default 'pair_verifier', the first model written with this). */
  graphName?: string;
  metadata?: Record<string, string>;
}): Uint8Array {
  const inputName = options.inputName ?? 'features';
  const outputName = options.outputName ?? 'probability';
  const firstLayer = options.layers[0];
  const lastLayer = options.layers.at(-1);
  if (!firstLayer || !lastLayer) throw new Error('a model needs at least one layer');
  const featureCount = firstLayer.weights[0]?.length ?? 0;

  const nodes: Encoded[] = [];
  const initializers: Encoded[] = [];
  let current = inputName;
  options.layers.forEach((layer, index) => {
    const weightsName = `layer${index}.weight`;
    const biasName = `layer${index}.bias`;
    const outputs = layer.weights.length;
    const inputs = layer.weights[0]?.length ?? 0;
    initializers.push(floatTensor(weightsName, [outputs, inputs], layer.weights.flat()));
    initializers.push(floatTensor(biasName, [outputs], layer.bias));
    const isLast = index === options.layers.length - 1;
    const linearName = layer.activation === 'none' && isLast ? outputName : `layer${index}.linear`;
    nodes.push(
      node('Gemm', [current, weightsName, biasName], [linearName], `layer${index}.gemm`, [
        intAttribute('transB', 1),
      ]),
    );
    current = linearName;
    if (layer.activation !== 'none') {
      const activatedName = isLast ? outputName : `layer${index}.activated`;
      nodes.push(
        node(
          layer.activation === 'relu' ? 'Relu' : 'Sigmoid',
          [current],
          [activatedName],
          `layer${index}.${layer.activation}`,
        ),
      );
      current = activatedName;
    }
  });

  return onnxModel({
    graphName: options.graphName ?? 'pair_verifier',
    nodes,
    initializers,
    inputs: [valueInfo(inputName, ['batch', featureCount])],
    outputs: [valueInfo(outputName, ['batch', lastLayer.weights.length])],
    opset: 13,
    ...(options.producer ? { producer: options.producer } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
