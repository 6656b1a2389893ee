import type { UseLiteModel, UseLiteRunner } from './use-lite-graph-runner';
import { type UseLiteWeight, useLiteOnnxGraph } from './use-lite-onnx-graph';
import { toUnitVector } from './vector-math';

type OrtTensor = { data: ArrayLike<number>; dims: readonly number[] };
type OrtSession = { run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>> };
type OrtModule = {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: number[]) => unknown;
};
type WeightTensor = { dataSync(): ArrayLike<number>; shape: number[] };

/** The model keeps the first 128 tokens of a text (its ClipToMaxLength step). */
const MAX_TOKENS = 128;
/** What the tfjs graph adds to the attention scores of padding. */
const PADDING_BIAS = -1e9;

/**
 * USE-lite run by onnxruntime (when `onnxruntime-node` is installed): the same weights, written
 * as an ONNX graph at load (`use-lite-onnx-graph.ts`), run on one thread with native kernels.
 * Undefined when the runtime is missing or the loaded model lacks a weight the graph needs; the
 * caller checks its vectors against the package's own before using it.
 */
export async function createUseLiteOnnxRunner(model: UseLiteModel): Promise<UseLiteRunner | undefined> {
  const tokenizer = model.tokenizer;
  const weights = (model.model as { weights?: Record<string, WeightTensor[]> } | undefined)?.weights;
  if (!tokenizer || !weights) return undefined;
  const ort = await importOnnxRuntime();
  if (!ort) return undefined;
  try {
    const bytes = useLiteOnnxGraph((name) => readWeight(weights, name));
    // One thread: a single query is a few milliseconds of work, and the process shares its cores.
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      // No memory arena: it would keep the largest batch's buffers for the life of the process.
      enableCpuMemArena: false,
    });
    return (texts) =>
      runSession(
        ort,
        session,
        texts.map((text) => tokenizer.encode(text).slice(0, MAX_TOKENS)),
      );
  } catch {
    return undefined;
  }
}

async function runSession(ort: OrtModule, session: OrtSession, tokens: number[][]): Promise<Float32Array[]> {
  const batch = tokens.length;
  // At least one position, so an empty text still has a (fully masked) row.
  const length = Math.max(1, ...tokens.map((ids) => ids.length));
  const ids = new BigInt64Array(batch * length);
  const keyBias = new Float32Array(batch * length).fill(PADDING_BIAS);
  const poolMask = new Float32Array(batch * length);
  const tokenCount = new Float32Array(batch);
  tokens.forEach((row, index) => {
    row.forEach((id, position) => {
      ids[index * length + position] = BigInt(id);
      keyBias[index * length + position] = 0;
      poolMask[index * length + position] = 1;
    });
    tokenCount[index] = Math.max(1, row.length);
  });
  const outputs = await session.run({
    ids: new ort.Tensor('int64', ids, [batch, length]),
    positions: new ort.Tensor(
      'float32',
      Float32Array.from({ length }, (_, position) => position),
      [length, 1],
    ),
    key_bias: new ort.Tensor('float32', keyBias, [batch, 1, 1, length]),
    pool_mask: new ort.Tensor('float32', poolMask, [batch, length, 1]),
    token_count: new ort.Tensor('float32', tokenCount, [batch, 1]),
  });
  const encoding = outputs.encoding;
  if (!encoding || encoding.data.length !== batch * 512)
    throw new Error(
      `USE-lite (onnxruntime) returned ${encoding?.data.length ?? 0} values for ${batch} texts`,
    );
  const data = encoding.data as Float32Array;
  return tokens.map((_, row) => toUnitVector(data.subarray(row * 512, (row + 1) * 512)));
}

function readWeight(weights: Record<string, WeightTensor[]>, name: string): UseLiteWeight {
  const tensor = weights[name]?.[0];
  if (!tensor) throw new Error(`USE-lite weight ${name} not found`);
  const data = tensor.dataSync();
  return { values: data instanceof Float32Array ? data : Float32Array.from(data), shape: tensor.shape };
}

async function importOnnxRuntime(): Promise<OrtModule | undefined> {
  try {
    const imported = (await import('onnxruntime-node')) as unknown as OrtModule & { default?: OrtModule };
    return imported.InferenceSession ? imported : imported.default;
  } catch {
    return undefined;
  }
}
