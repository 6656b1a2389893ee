/**
 * The few ONNX protobuf messages this project writes (nodes, attributes, tensors, value infos, a
 * model), encoded by hand so writing a model needs no protobuf or ONNX tooling. Field numbers
 * follow the ONNX IR specification (onnx/onnx.proto).
 */

/**
 * An encoded message as the chunks it is made of: nesting a message copies no bytes, and a model
 * of tens of megabytes of weights is joined into one buffer once, at the end (`onnxModel`).
 */
export type Encoded = { readonly chunks: readonly Uint8Array[]; readonly length: number };

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A float32 initializer. */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): Encoded {
  const floats = values instanceof Float32Array ? values : Float32Array.from(values);
  const bytes = new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, ONNX_FLOAT),
    stringField(8, name),
    bytesField(9, raw(bytes)),
  ]);
}

/** An int64 initializer (shapes, axes, split sizes). */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): Encoded {
  const bytes = new Uint8Array(BigInt64Array.from(values, (value) => BigInt(value)).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, ONNX_INT64),
    stringField(8, name),
    bytesField(9, raw(bytes)),
  ]);
}

export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attributes: readonly Encoded[] = [],
): Encoded {
  return message([
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, name),
    stringField(4, opType),
    ...attributes.map((attribute) => bytesField(5, attribute)),
  ]);
}

export function intAttribute(name: string, value: number): Encoded {
  return message([stringField(1, name), varintField(3, signed(value)), varintField(20, ATTRIBUTE_INT)]);
}

export function intsAttribute(name: string, values: readonly number[]): Encoded {
  return message([
    stringField(1, name),
    ...values.map((value) => varintField(8, signed(value))),
    varintField(20, ATTRIBUTE_INTS),
  ]);
}

/** A tensor type with named (symbolic) or fixed dimensions. */
export function valueInfo(
  name: string,
  dims: ReadonlyArray<string | number>,
  elementType = ONNX_FLOAT,
): Encoded {
  const shape = message(
    dims.map((dim) =>
      bytesField(
        1,
        typeof dim === 'number' ? message([varintField(1, dim)]) : message([stringField(2, dim)]),
      ),
    ),
  );
  const tensorType = message([varintField(1, elementType), bytesField(2, shape)]);
  return message([stringField(1, name), bytesField(2, message([bytesField(1, tensorType)]))]);
}

/** A model (IR version 8) holding one graph, for the default opset given. */
export function onnxModel(options: {
  graphName: string;
  nodes: readonly Encoded[];
  initializers: readonly Encoded[];
  inputs: readonly Encoded[];
  outputs: readonly Encoded[];
  opset: number;
  producer?: string;
  metadata?: Record<string, string>;
}): Uint8Array {
  const graph = message([
    ...options.nodes.map((encoded) => bytesField(1, encoded)),
    stringField(2, options.graphName),
    ...options.initializers.map((encoded) => bytesField(5, encoded)),
    ...options.inputs.map((encoded) => bytesField(11, encoded)),
    ...options.outputs.map((encoded) => bytesField(12, encoded)),
  ]);
  const model = message([
    varintField(1, 8), // ir_version
    stringField(2, options.producer ?? 'tokenomics'),
    stringField(3, '1'),
    bytesField(7, graph),
    bytesField(8, message([stringField(1, ''), varintField(2, options.opset)])),
    ...Object.entries(options.metadata ?? {}).map(([key, value]) =>
      bytesField(14, message([stringField(1, key), stringField(2, value)])),
    ),
  ]);
  return join(model);
}

// Protobuf wire format: each field is a varint key (field number << 3 | wire type), then the value.

/** Negative ints are written as their 64-bit two's complement, as protobuf's int64 is. */
function signed(value: number): number | bigint {
  return value < 0 ? (1n << 64n) + BigInt(value) : value;
}

function varint(value: number | bigint): number[] {
  let rest = BigInt(value);
  if (rest < 0n) throw new RangeError(`cannot encode ${value} as a varint`);
  const bytes: number[] = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function raw(bytes: Uint8Array): Encoded {
  return { chunks: [bytes], length: bytes.length };
}

function varintField(field: number, value: number | bigint): Encoded {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new RangeError(`cannot encode ${value} as a varint`);
  return raw(Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]));
}

function bytesField(field: number, value: Encoded): Encoded {
  const header = raw(Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]));
  return message([header, value]);
}

function stringField(field: number, value: string): Encoded {
  return bytesField(field, raw(new TextEncoder().encode(value)));
}

function message(fields: readonly Encoded[]): Encoded {
  return {
    chunks: fields.flatMap((field) => field.chunks),
    length: fields.reduce((sum, field) => sum + field.length, 0),
  };
}

function join(encoded: Encoded): Uint8Array {
  const result = new Uint8Array(encoded.length);
  let offset = 0;
  for (const chunk of encoded.chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}
