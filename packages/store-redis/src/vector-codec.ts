/** Vectors travel through Redis as base64 of their float32 bytes: exact and compact. */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

/** The vector, or why the text is not one (empty, truncated, not finite). */
export function decodeVector(text: string): Float32Array | string {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0)
    return `${bytes.byteLength} bytes is not a float32 vector`;
  const vector = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(vector.buffer).set(bytes);
  if (!vector.every(Number.isFinite)) return 'the vector holds a non-finite number';
  return vector;
}

/** Why a vector cannot be stored, or undefined when it can. */
export function vectorProblem(
  vector: Float32Array,
  expectedDimensions: number | undefined,
): string | undefined {
  if (!(vector instanceof Float32Array) || vector.length === 0) return 'the vector is empty';
  if (!vector.every(Number.isFinite)) return 'the vector holds a non-finite number';
  if (expectedDimensions !== undefined && vector.length !== expectedDimensions)
    return `the vector has ${vector.length} dimensions, the partition ${expectedDimensions}`;
  return undefined;
}
