export type ReplayStreamOptions = {
  /** Pause between parts, in milliseconds; 0 or absent sends every part at once. */
  chunkDelayMs?: number;
  /** Stops the replay when the caller aborts, as a provider stream would. */
  abortSignal?: AbortSignal;
};

/** A readable stream that sends the given parts in order, optionally paced like a live model. */
export function replayStream<Part>(parts: Part[], options: ReplayStreamOptions = {}): ReadableStream<Part> {
  const delayMs = options.chunkDelayMs ?? 0;
  let index = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Part>({
    async pull(controller) {
      if (options.abortSignal?.aborted) {
        controller.error(options.abortSignal.reason);
        return;
      }
      if (index >= parts.length) {
        controller.close();
        return;
      }
      if (delayMs > 0 && index > 0) {
        await new Promise<void>((resolve) => {
          timer = setTimeout(resolve, delayMs);
        });
        timer = undefined;
        if (options.abortSignal?.aborted) {
          controller.error(options.abortSignal.reason);
          return;
        }
      }
      controller.enqueue(parts[index++] as Part);
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      index = parts.length;
    },
  });
}
