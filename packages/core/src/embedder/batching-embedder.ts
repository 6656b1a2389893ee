import { LruMap } from '../util/lru-map';
import type { Embedder } from './embedder';

export type BatchingEmbedderOptions = {
  /** Most texts per call to the wrapped embedder. Default 32. */
  maxBatch?: number;
  /**
   * Recent texts whose vectors are kept, so the stages of one request (the cache, then the
   * router) that embed the same text pay for it once. Default 0 (none).
   */
  remember?: number;
};

type Waiting = {
  texts: string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: unknown) => void;
};

/**
 * Micro-batches concurrent requests: every `embed` call made in the same turn of the event loop
 * (for example, several requests a server received together) is answered by one call to the
 * wrapped embedder, and a text asked for twice in that turn is embedded once. A model call on
 * a batch costs much less per text than one call per text, so under load each request waits
 * less; a lone request waits only for the end of the current turn.
 */
export class BatchingEmbedder implements Embedder {
  readonly id: string;
  private readonly maxBatch: number;
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly recent: LruMap<string, Float32Array> | undefined;

  constructor(
    private readonly inner: Embedder,
    options: BatchingEmbedderOptions = {},
  ) {
    this.id = inner.id;
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 32));
    const remember = Math.floor(options.remember ?? 0);
    this.recent = remember > 0 ? new LruMap(remember) : undefined;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const remembered = this.recent && texts.map((text) => this.recent?.get(text));
    if (remembered?.every((vector) => vector !== undefined))
      return Promise.resolve(remembered as Float32Array[]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ texts, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const group of groupsOf(waiting, this.maxBatch)) void this.run(group);
  }

  private async run(group: Waiting[]): Promise<void> {
    const unique = [...new Set(group.flatMap((entry) => entry.texts))];
    try {
      const vectors = await this.inner.embed(unique);
      if (vectors.length !== unique.length)
        throw new Error(
          `embedder ${this.inner.id} returned ${vectors.length} vectors for ${unique.length} texts`,
        );
      const byText = new Map(unique.map((text, index) => [text, vectors[index] as Float32Array]));
      for (const [text, vector] of byText) this.recent?.set(text, vector);
      for (const entry of group) entry.resolve(entry.texts.map((text) => byText.get(text) as Float32Array));
    } catch (error) {
      for (const entry of group) entry.reject(error);
    }
  }
}

/** Consecutive callers whose texts fit in one batch (a caller with more texts goes alone). */
function groupsOf(waiting: Waiting[], maxBatch: number): Waiting[][] {
  const groups: Waiting[][] = [];
  let current: Waiting[] = [];
  let size = 0;
  for (const entry of waiting) {
    if (current.length > 0 && size + entry.texts.length > maxBatch) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.texts.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
