/**
 * The few ONNX protobuf messages this project writes (nodes, attributes, tensors, value infos, a
 * model), encoded by hand so writing a model needs no protobuf or ONNX tooling. Field numbers
 * follow the ONNX IR specification (onnx/onnx.proto).
 */

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A float32 initializer. */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const raw = new Uint8Array(Float32Array.from(values).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, ONNX_FLOAT),
    stringField(8, name),
    bytesField(9, raw),
  ]);
}

/** An int64 initializer (shapes, axes, split sizes). */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): Uint8Array {
  const raw = new Uint8Array(BigInt64Array.from(values, (value) => BigInt(value)).buffer);
  return message([
    ...dims.map((dim) => varintField(1, dim)),
    varintField(2, ONNX_INT64),
    stringField(8, name),
    bytesField(9, raw),
  ]);
}

export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attributes: readonly Uint8Array[] = [],
): Uint8Array {
  return message([
    ...inputs.map((input) => stringField(1, input)),
    ...outputs.map((output) => stringField(2, output)),
    stringField(3, name),
    stringField(4, opType),
    ...attributes.map((attribute) => bytesField(5, attribute)),
  ]);
}

export function intAttribute(name: string, value: number): Uint8Array {
  return message([stringField(1, name), varintField(3, signed(value)), varintField(20, ATTRIBUTE_INT)]);
}

export function intsAttribute(name: string, values: readonly number[]): Uint8Array {
  return message([
    stringField(1, name),
    ...values.map((value) => varintField(8, signed(value))),
    varintField(20, ATTRIBUTE_INTS),
  ]);
}

export function floatAttribute(name: string, value: number): Uint8Array {
  const bytes = new Uint8Array(Float32Array.of(value).buffer);
  return message([
    stringField(1, name),
    concat([Uint8Array.of((2 << 3) | 5), bytes]),
    varintField(20, ATTRIBUTE_FLOAT),
  ]);
}

/** A tensor type with named (symbolic) or fixed dimensions. */
export function valueInfo(
  name: string,
  dims: ReadonlyArray<string | number>,
  elementType = ONNX_FLOAT,
): Uint8Array {
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
  nodes: readonly Uint8Array[];
  initializers: readonly Uint8Array[];
  inputs: readonly Uint8Array[];
  outputs: readonly Uint8Array[];
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
  return message([
    varintField(1, 8), // ir_version
    stringField(2, options.producer ?? 'tokenomics'),
    stringField(3, '1'),
    bytesField(7, graph),
    bytesField(8, message([stringField(1, ''), varintField(2, options.opset)])),
    ...Object.entries(options.metadata ?? {}).map(([key, value]) =>
      bytesField(14, message([stringField(1, key), stringField(2, value)])),
    ),
  ]);
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

function varintField(field: number, value: number | bigint): Uint8Array {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new RangeError(`cannot encode ${value} as a varint`);
  return Uint8Array.from([...varint((field << 3) | 0), ...varint(value)]);
}

function bytesField(field: number, value: Uint8Array): Uint8Array {
  const header = Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]);
  return concat([header, value]);
}

function stringField(field: number, value: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(value));
}

function message(fields: readonly Uint8Array[]): Uint8Array {
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
