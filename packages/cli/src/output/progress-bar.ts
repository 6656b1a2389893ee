export type ProgressBar = {
  /** Advances by `count` items (default 1). */
  tick(count?: number): void;
  /** Clears the bar; further ticks are ignored. */
  done(): void;
};

type Stream = { isTTY?: boolean; columns?: number; write(text: string): unknown };

/**
 * Progress on stderr. On a terminal: one bar redrawn in place at most every 100 ms. Elsewhere (CI
 * logs, pipes, files): a plain line at each tenth of the work and one when it is done, so a long
 * run shows it is alive without flooding the log, and stdout (the results) stays clean.
 */
export function createProgressBar(
  label: string,
  total: number,
  options: { stream?: Stream; now?: () => number } = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  if (total <= 0) return { tick() {}, done() {} };
  if (!stream.isTTY) return createProgressLines(label, total, stream, now);
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

/** The non-terminal form: `label: 30% (300/1000) 12s, eta 28s` at each tenth, then `label: done`. */
function createProgressLines(label: string, total: number, stream: Stream, now: () => number): ProgressBar {
  const startedAt = now();
  let completed = 0;
  let lastTenth = 0;
  let finished = false;
  return {
    tick(count = 1) {
      if (finished) return;
      completed = Math.min(total, completed + count);
      const tenth = Math.floor((completed / total) * 10);
      if (tenth <= lastTenth || completed >= total) return;
      lastTenth = tenth;
      const elapsedSeconds = (now() - startedAt) / 1000;
      const remaining = (elapsedSeconds / completed) * (total - completed);
      stream.write(
        `${label}: ${tenth * 10}% (${completed}/${total}) ${formatSeconds(elapsedSeconds)}, eta ${formatSeconds(remaining)}\n`,
      );
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write(`${label}: done, ${completed}/${total} in ${formatSeconds((now() - startedAt) / 1000)}\n`);
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
