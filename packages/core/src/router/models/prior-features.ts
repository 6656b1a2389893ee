import { extractRouteFeatures, LEXICAL_FEATURE_NAMES } from '../features/lexical-features';
import type { RouteFeatures } from '../types';

/** Dimensions of the USE-lite embedding the shipped prior was trained with. */
export const PRIOR_EMBEDDING_DIMENSIONS = 512;

/** Feature names of the prior's input: the engine's lexical features, then (optionally) the embedding. */
export function priorFeatureNames(withEmbedding: boolean): string[] {
  const names: string[] = [...LEXICAL_FEATURE_NAMES];
  if (withEmbedding)
    for (let index = 0; index < PRIOR_EMBEDDING_DIMENSIONS; index++) names.push(`embedding-${index}`);
  return names;
}

/**
 * The prior's input vector for a request's features. The lexical part is the engine's own
 * (`RouteFeatures.lexical`), so the prior sees at run time exactly what it was trained on.
 */
export function priorFeatureVector(features: RouteFeatures, withEmbedding: boolean): Float64Array {
  const width = features.lexical.length + (withEmbedding ? PRIOR_EMBEDDING_DIMENSIONS : 0);
  const vector = new Float64Array(width);
  vector.set(features.lexical, 0);
  if (withEmbedding) {
    if (!features.embedding || features.embedding.length !== PRIOR_EMBEDDING_DIMENSIONS) {
      throw new RangeError(`the prior needs a ${PRIOR_EMBEDDING_DIMENSIONS}-d embedding`);
    }
    vector.set(features.embedding, features.lexical.length);
  }
  return vector;
}

/** Route features of a bare prompt (one user message), as training and benchmarks see a request. */
export function promptRouteFeatures(prompt: string, embedding?: Float32Array): RouteFeatures {
  return extractRouteFeatures(
    { model: 'unknown', messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }] },
    embedding ? { embedding } : {},
  );
}
