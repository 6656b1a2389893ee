import type { DenseLayer } from './verifier-model';

/**
 * Writes a stack of dense layers as an ONNX model (opset 13): Gemm (with transB) per layer,
 * then Relu or Sigmoid. Input `features` [N, F] float32, output `probability` [N, 1].
 *
 * A hand-written protobuf encoder for the few ONNX messages needed, so training needs no
 * protobuf or ONNX tooling. Field numbers follow the ONNX IR specification.
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

  const nodes: Uint8Array[] = [];
  const initializers: Uint8Array[] = [];
  let current = inputName;
  options.layers.forEach((layer, index) => {
    const weightsName = `layer${index}.weight`;
    const biasName = `layer${index}.bias`;
    const outputs = layer.weights.length;
    const inputs = layer.weights[0]?.length ?? 0;
    initializers.push(tensor(weightsName, [outputs, inputs], layer.weights.flat()));
    initializers.push(tensor(biasName, [outputs], layer.bias));
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

  const graph = message([
    ...nodes.map((encoded) => bytesField(1, encoded)),
    stringField(2, options.graphName ?? 'pair_verifier'),
    ...initializers.map((encoded) => bytesField(5, encoded)),
    bytesField(11, valueInfo(inputName, ['batch', featureCount])),
    bytesField(12, valueInfo(outputName, ['batch', lastLayer.weights.length])),
  ]);
  return message([
    varintField(1, 8), // ir_version
    stringField(2, options.producer ?? 'tokenomics'),
    stringField(3, '1'),
    bytesField(7, graph),
    bytesField(8, message([stringField(1, ''), varintField(2, 13)])), // opset_import: default domain, 13
    ...Object.entries(options.metadata ?? {}).map(([key, value]) =>
      bytesField(14, message([stringField(1, key), stringField(2, value)])),
    ),
  ]);
}

const FLOAT = 1;
const ATTRIBUTE_INT = 2;

function tensor(name: string, dims: number[], values: number[]): Uint8Array {
  const raw = new Uint8Array(Float32Array.from(values).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, FLOAT),
    stringField(8, name),
    bytesField(9, raw),
  ]);
}

function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  name: string,
  attributes: Uint8Array[] = [],
): Uint8Array {
  return message([
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, name),
    stringField(4, opType),
    ...attributes.map((attribute) => bytesField(5, attribute)),
  ]);
}

function intAttribute(name: string, value: number): Uint8Array {
  return message([stringField(1, name), varintField(3, value), varintField(20, ATTRIBUTE_INT)]);
}

/** A float32 tensor type with named (symbolic) or fixed dimensions. */
function valueInfo(name: string, dims: Array<string | number>): Uint8Array {
  const shape = message(
    dims.map((dim) =>
      bytesField(
        1,
        typeof dim === 'number' ? message([varintField(1, dim)]) : message([stringField(2, dim)]),
      ),
    ),
  );
  const tensorType = message([varintField(1, FLOAT), bytesField(2, shape)]);
  return message([stringField(1, name), bytesField(2, message([bytesField(1, tensorType)]))]);
}

// Protobuf wire format: each field is a varint key (field number << 3 | wire type), then the value.

function varint(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as a varint`);
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]);
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  const header = Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]);
  return concat([header, value]);
}

function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(value));
}

function message(fields: Uint8Array[]): Uint8Array {
  return concat(fields);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}
