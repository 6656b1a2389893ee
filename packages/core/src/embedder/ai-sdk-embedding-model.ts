import type { Embedder } from './embedder';
import { BatchingAdapter } from './langchain-embeddings';

/**
 * The part of the AI SDK's `EmbeddingModelV4` the cache uses (kept structural: core imports no
 * framework). Any `openai.embedding('text-embedding-3-small')`-style model fits.
 */
export type AiSdkEmbeddingModelLike = {
  readonly provider?: string;
  readonly modelId?: string;
  readonly maxEmbeddingsPerCall?: PromiseLike<number | undefined> | number | undefined;
  doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
  }): PromiseLike<{ embeddings: Array<Array<number>> }>;
};

export type AiSdkEmbedderOptions = {
  /** Default: `provider/modelId` of the model. */
  id?: string;
  dimensions?: number;
  /** Default: the model's `maxEmbeddingsPerCall`, else 64. */
  batchSize?: number;
};

/** An AI SDK embedding model as an `Embedder`; vectors are L2-normalized. */
export function fromAiSdkEmbeddingModel(
  model: AiSdkEmbeddingModelLike,
  options: AiSdkEmbedderOptions = {},
): Embedder {
  const id = options.id ?? [model.provider, model.modelId].filter(Boolean).join('/');
  const fixedLimit = typeof model.maxEmbeddingsPerCall === 'number' ? model.maxEmbeddingsPerCall : undefined;
  const batchSize = options.batchSize ?? fixedLimit ?? 64;
  return new BatchingAdapter({ id, dimensions: options.dimensions, batchSize }, async (values) => {
    const result = await model.doEmbed({ values });
    return result.embeddings;
  });
}
