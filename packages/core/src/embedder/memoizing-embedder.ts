import type { Embedder } from './embedder';

export type MemoizingEmbedderOptions = {
  /** Texts remembered (least recently used are dropped first). Default 2,000. */
  maxEntries?: number;
};

/**
 * Remembers recent embeddings by text, so a request is embedded once even when the cache,
 * the router and the verifier each ask for it, and concurrent asks for the same text share
 * one call to the wrapped embedder. Vectors are the wrapped embedder's, so the id is too.
 */
export class MemoizingEmbedder implements Embedder {
  readonly id: string;
  private readonly maxEntries: number;
  private readonly remembered = new Map<string, Float32Array>();
  private readonly inFlight = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly inner: Embedder,
    options: MemoizingEmbedderOptions = {},
  ) {
    this.id = inner.id;
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 2_000));
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  /** How many texts are remembered now. */
  get size(): number {
    return this.remembered.size;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const missing: string[] = [];
    for (const text of texts) {
      if (!this.remembered.has(text) && !this.inFlight.has(text) && !missing.includes(text))
        missing.push(text);
    }
    if (missing.length > 0) this.startBatch(missing);
    return Promise.all(texts.map((text) => this.vectorFor(text)));
  }

  private startBatch(texts: string[]): void {
    const batch = this.inner.embed(texts);
    texts.forEach((text, index) => {
      const vector = batch.then((vectors) => {
        const found = vectors[index];
        if (!found)
          throw new Error(
            `embedder ${this.inner.id} returned ${vectors.length} vectors for ${texts.length} texts`,
          );
        return found;
      });
      this.inFlight.set(text, vector);
      vector.then(
        (found) => {
          this.inFlight.delete(text);
          this.remember(text, found);
        },
        () => this.inFlight.delete(text),
      );
    });
  }

  private vectorFor(text: string): Promise<Float32Array> {
    const found = this.remembered.get(text);
    if (found) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.remembered.delete(text);
      this.remembered.set(text, found);
      return Promise.resolve(found);
    }
    return this.inFlight.get(text)!;
  }

  private remember(text: string, vector: Float32Array): void {
    this.remembered.delete(text);
    this.remembered.set(text, vector);
    while (this.remembered.size > this.maxEntries) {
      const oldest = this.remembered.keys().next().value as string;
      this.remembered.delete(oldest);
    }
  }
}
