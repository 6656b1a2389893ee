export type ProgressBar = {
  /** Advances by `count` items (default 1). */
  tick(count?: number): void;
  /** Clears the bar; further ticks are ignored. */
  done(): void;
};

type Stream = { isTTY?: boolean; columns?: number; write(text: string): unknown };

/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms. Off when stderr is not a
 * terminal (CI logs, pipes), so redirected output stays clean.
 */
export function createProgressBar(
  label: string,
  total: number,
  options: { stream?: Stream; now?: () => number } = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  if (!stream.isTTY || total <= 0) return { tick() {}, done() {} };
  const startedAt = now();
  let completed = 0;
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let finished = false;
  const draw = () => {
    const elapsedSeconds = (now() - startedAt) / 1000;
    const fraction = Math.min(1, completed / total);
    const remaining = completed > 0 ? (elapsedSeconds / completed) * (total - completed) : undefined;
    const suffix = ` ${completed}/${total} ${formatSeconds(elapsedSeconds)}${
      remaining === undefined ? '' : ` eta ${formatSeconds(remaining)}`
    }`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - suffix.length - 4));
    const filled = Math.round(fraction * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${suffix}\u001b[K`);
  };
  return {
    tick(count = 1) {
      if (finished) return;
      completed += count;
      const at = now();
      if (at - lastDrawAt >= 100 || completed >= total) {
        lastDrawAt = at;
        draw();
      }
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write('\r\u001b[K');
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
