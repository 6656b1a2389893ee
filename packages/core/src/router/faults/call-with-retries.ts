import { classifyProviderError, isTransient, type ProviderErrorKind, retryAfterMs } from './provider-errors';

export type RetryOptions = {
  /** Retries of the same tier after a rate limit, timeout, 5xx or dropped connection. Default 1. */
  maxRetries?: number;
  /** Delay before the first retry; doubled each time, with jitter. Default 250 ms. */
  initialDelayMs?: number;
  /**
   * Longest wait for a retry. A provider's `Retry-After` beyond it skips the retry, so the call
   * falls back to another tier at once instead of waiting. Default 4,000 ms.
   */
  maxDelayMs?: number;
};

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown; kind: ProviderErrorKind };

export type RetryContext = {
  retry: RetryOptions | false;
  /** Uniform [0, 1) numbers for jitter (the router's seeded generator). */
  random: () => number;
  signal?: AbortSignal;
  /** Told about every failed try, retried or not. */
  onFailure(error: unknown, kind: ProviderErrorKind, willRetry: boolean): void;
};

/** Calls `call`, retrying transient provider errors with exponential backoff. Never throws. */
export async function callWithRetries<T>(
  call: () => Promise<T>,
  context: RetryContext,
): Promise<CallOutcome<T>> {
  const maxRetries = context.retry === false ? 0 : Math.max(0, Math.floor(context.retry.maxRetries ?? 1));
  for (let retries = 0; ; retries++) {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      const kind = classifyProviderError(error);
      const delay =
        isTransient(kind) && retries < maxRetries && !context.signal?.aborted
          ? retryDelay(retries, error, context.retry as RetryOptions, context.random)
          : undefined;
      context.onFailure(error, kind, delay !== undefined);
      if (delay === undefined) return { ok: false, error, kind };
      await sleep(delay, context.signal);
      if (context.signal?.aborted) return { ok: false, error, kind };
    }
  }
}

/** The wait before retry number `retries` + 1, or undefined when the provider asks for longer. */
function retryDelay(
  retries: number,
  error: unknown,
  options: RetryOptions,
  random: () => number,
): number | undefined {
  const maxDelay = Math.max(0, options.maxDelayMs ?? 4000);
  const asked = retryAfterMs(error);
  if (asked !== undefined) return asked <= maxDelay ? asked : undefined;
  const base = Math.max(0, options.initialDelayMs ?? 250) * 2 ** retries;
  // Half fixed, half random, so many callers limited at once do not retry in step.
  return Math.min(maxDelay, base / 2 + (base / 2) * random());
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
