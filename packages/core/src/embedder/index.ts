export {
  type AiSdkEmbedderOptions,
  type AiSdkEmbeddingModelLike,
  fromAiSdkEmbeddingModel,
} from './ai-sdk-embedding-model';
export { BatchingEmbedder, type BatchingEmbedderOptions } from './batching-embedder';
export type { Embedder } from './embedder';
export { EmbedderUnavailableError } from './embedder-unavailable-error';
export { HashingEmbedder, type HashingEmbedderOptions } from './hashing-embedder';
export {
  type ExternalEmbedderOptions,
  fromLangChainEmbeddings,
  type LangChainEmbeddingsLike,
} from './langchain-embeddings';
export { MemoizingEmbedder, type MemoizingEmbedderOptions } from './memoizing-embedder';
export {
  fromTransformers,
  TRANSFORMERS_PACKAGE,
  type TransformersEmbedderOptions,
} from './transformers-embedder';
export { UseLiteEmbedder, type UseLiteEmbedderOptions, type UseLiteRuntime } from './use-lite-embedder';
export { cosineSimilarity, l2Normalize } from './vector-math';
