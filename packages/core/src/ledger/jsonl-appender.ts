/**
 * Appends JSON lines to a file in order, batching lines that arrive together into one write.
 * `node:fs` is imported on first write, so importing core stays possible without a file system.
 * A failed append rejects the promise of the writes in that batch; later lines are still written.
 */
export function createJsonlAppender(path: string): {
  append(value: unknown): Promise<void>;
  flush(): Promise<void>;
} {
  let queued: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let folderReady: Promise<void> | undefined;

  function drain(): Promise<void> {
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        if (queued.length === 0) return;
        const lines = queued.join('');
        queued = [];
        const { appendFile, mkdir } = await import('node:fs/promises');
        const { dirname } = await import('node:path');
        folderReady ??= mkdir(dirname(path), { recursive: true }).then(() => undefined);
        await folderReady;
        await appendFile(path, lines, 'utf8');
      });
    return writing;
  }

  return {
    append(value) {
      queued.push(`${JSON.stringify(value)}\n`);
      return drain();
    },
    flush: () => drain(),
  };
}
