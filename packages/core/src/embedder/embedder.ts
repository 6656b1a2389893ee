/**
 * Turns texts into unit-length vectors. Implementations batch internally; callers
 * should embed each request once and pass the vector to every stage that needs it.
 */
export interface Embedder {
  /** A stable id (model name and version); vectors from different ids are never compared. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}
