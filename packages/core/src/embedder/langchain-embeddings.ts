import type { Embedder } from './embedder';
import { toUnitVector } from './vector-math';

/** The part of LangChain's `Embeddings` class the cache uses (kept structural: core imports no framework). */
export type LangChainEmbeddingsLike = {
  embedDocuments(documents: string[]): Promise<number[][]>;
};

export type ExternalEmbedderOptions = {
  /** Stable id of the model, e.g. 'openai/text-embedding-3-small'; vectors of different ids are never compared. */
  id: string;
  /** Known dimensions; otherwise learned from the first call (0 until then). */
  dimensions?: number;
  /** Texts per call to the model. Default: all texts in one call. */
  batchSize?: number;
};

/**
 * Any LangChain `Embeddings` (OpenAI, Cohere, Ollama, ...) as an `Embedder`.
 * Vectors are L2-normalized, because the cache compares them by dot product.
 */
export function fromLangChainEmbeddings(
  embeddings: LangChainEmbeddingsLike,
  options: ExternalEmbedderOptions,
): Embedder {
  return new BatchingAdapter(options, (texts) => embeddings.embedDocuments(texts));
}

/** Shared by the framework adapters: batching, normalization, and dimension checks. */
export class BatchingAdapter implements Embedder {
  readonly id: string;
  private knownDimensions: number;
  private readonly batchSize: number;

  constructor(
    options: ExternalEmbedderOptions,
    private readonly call: (texts: string[]) => Promise<number[][]>,
  ) {
    if (!options.id) throw new TypeError('an external embedder needs an id (the model name)');
    this.id = options.id;
    this.knownDimensions = options.dimensions ?? 0;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? Number.POSITIVE_INFINITY));
  }

  get dimensions(): number {
    return this.knownDimensions;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const rows = await this.call(batch);
      if (rows.length !== batch.length) {
        throw new Error(`embedder ${this.id} returned ${rows.length} embeddings for ${batch.length} texts`);
      }
      for (const row of rows) vectors.push(this.checked(toUnitVector(row)));
    }
    return vectors;
  }

  private checked(vector: Float32Array): Float32Array {
    if (this.knownDimensions === 0) this.knownDimensions = vector.length;
    if (vector.length !== this.knownDimensions) {
      throw new Error(
        `embedder ${this.id} returned ${vector.length} dimensions, expected ${this.knownDimensions}`,
      );
    }
    return vector;
  }
}
