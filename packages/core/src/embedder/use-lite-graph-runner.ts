import { createRequire } from 'node:module';
import { toUnitVector } from './vector-math';

/** The parts of the loaded USE-lite model (`@energetic-ai/embeddings`) and of tfjs the runner uses. */
export type UseLiteModel = {
  embed(input: string[]): Promise<number[][]>;
  model?: { execute(inputs: Record<string, Tensor>): Tensor };
  tokenizer?: { encode(text: string): number[] };
};
type Tensor = { dataSync(): ArrayLike<number>; dispose(): void };
type Tfjs = {
  tensor1d(values: number[], dtype: 'int32'): Tensor;
  tensor2d(values: number[], shape: [number, number], dtype: 'int32'): Tensor;
};

/** Embeds a batch of texts with the loaded model; unit vectors in the order given. */
export type UseLiteRunner = (texts: string[]) => Float32Array[] | Promise<Float32Array[]>;

const DIMENSIONS = 512;
/** The model keeps the first 128 tokens of a text (its ClipToMaxLength step). */
const MAX_TOKENS = 128;
const SCOPE = 'module_apply_default/Encoder_en/KonaTransformer/';
/**
 * The graph's two data-dependent steps (`Where`), computed here from the token positions and
 * fed in: without them the graph runs synchronously (`execute`), which saves the await after
 * each of its ~250 steps that `executeAsync` pays: about 5 ms of a 20-30 ms single query.
 */
const KEPT_TOKENS = `${SCOPE}ClipToMaxLength/Reshape`;
const TOKEN_COORDINATES = `${SCOPE}Encode/TransformerStack/Layer_1/TransformerLayer/FFN/StoreMask/ToInt32`;
const TOKEN_POSITIONS = `${SCOPE}Encode/TransformerStack/Layer_0/AddTimingSignal/strided_slice_2`;
/** Texts the runner must embed exactly as the package's own path does before it is used. */
const SELF_CHECK = [
  'How do I reset my password?',
  '',
  `${'many words '.repeat(90)}end`,
  'a b c',
  'Line one\n\nline two',
];

/**
 * A synchronous runner for the USE-lite graph, or undefined when this copy of the model does
 * not have the expected shape. It is used only after it gave the same vectors as the package's
 * own `embed` on texts short, empty and longer than the model's limit, in one batch; anything
 * else keeps the package's path. The check also warms the model up.
 */
export async function createUseLiteRunner(
  model: UseLiteModel,
  embeddingsModulePath: string,
): Promise<UseLiteRunner | undefined> {
  try {
    const tfjs = createRequire(embeddingsModulePath)('@energetic-ai/core') as Tfjs;
    const graph = model.model;
    const tokenizer = model.tokenizer;
    if (!graph || !tokenizer || typeof tfjs.tensor2d !== 'function') return undefined;
    const runner: UseLiteRunner = (texts) => runGraph(graph, tokenizer, tfjs, texts);
    return (await matchesPackage(model, runner)) ? runner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a runner gives the package's own vectors (within 1e-5 per component) on texts short,
 * empty and longer than the model's limit, in one batch. Any error counts as a mismatch.
 */
export async function matchesPackage(model: UseLiteModel, runner: UseLiteRunner): Promise<boolean> {
  try {
    const expected = await model.embed(SELF_CHECK);
    return sameVectors(expected, await runner(SELF_CHECK));
  } catch {
    return false;
  }
}

function runGraph(
  graph: NonNullable<UseLiteModel['model']>,
  tokenizer: NonNullable<UseLiteModel['tokenizer']>,
  tfjs: Tfjs,
  texts: string[],
): Float32Array[] {
  const pairs: number[] = [];
  const ids: number[] = [];
  const kept: number[] = [];
  const coordinates: number[] = [];
  const positions: number[] = [];
  texts.forEach((text, row) => {
    tokenizer.encode(text).forEach((id, position) => {
      if (position < MAX_TOKENS) {
        kept.push(ids.length);
        coordinates.push(row, position);
        positions.push(position);
      }
      pairs.push(row, position);
      ids.push(id);
    });
  });
  const inputs: Record<string, Tensor> = {
    indices: tfjs.tensor2d(pairs, [ids.length, 2], 'int32'),
    values: tfjs.tensor1d(ids, 'int32'),
    [KEPT_TOKENS]: tfjs.tensor1d(kept, 'int32'),
    [TOKEN_COORDINATES]: tfjs.tensor2d(coordinates, [positions.length, 2], 'int32'),
    [TOKEN_POSITIONS]: tfjs.tensor1d(positions, 'int32'),
  };
  try {
    const output = graph.execute(inputs);
    const values = output.dataSync();
    output.dispose();
    // The graph sizes its batch by the last row that has a token: texts after it with no token
    // (empty, or nothing the tokenizer keeps) get no row. They embed as a text with no token does
    // anywhere else in a batch.
    const rows = values.length / DIMENSIONS;
    const lastWithTokens = pairs.length === 0 ? -1 : (pairs[pairs.length - 2] as number);
    if (rows !== texts.length && rows !== lastWithTokens + 1)
      throw new Error(`USE-lite returned ${rows} embeddings for ${texts.length} texts`);
    const noTokens = rows < texts.length ? runGraph(graph, tokenizer, tfjs, ['', 'a'])[0] : undefined;
    return texts.map((_, row) =>
      row < rows
        ? toUnitVector(
            Array.prototype.slice.call(values, row * DIMENSIONS, (row + 1) * DIMENSIONS) as number[],
          )
        : Float32Array.from(noTokens as Float32Array),
    );
  } finally {
    for (const tensor of Object.values(inputs)) tensor.dispose();
  }
}

function sameVectors(expected: number[][], actual: Float32Array[]): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((row, index) => {
    const vector = toUnitVector(row);
    const other = actual[index] as Float32Array;
    return (
      vector.length === other.length &&
      vector.every((value, at) => Math.abs(value - (other[at] as number)) < 1e-5)
    );
  });
}
