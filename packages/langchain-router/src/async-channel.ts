/**
 * A one-reader queue between a producer that runs on its own (the engine's `run`, calling tiers)
 * and an async generator that yields what it produces, so chunks reach the caller while the
 * run is still going.
 */
export class AsyncChannel<Item> {
  private readonly items: Item[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;

  push(item: Item): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake();
  }

  close(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.ended = true;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item> {
    while (true) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
