import type { CachedResponse } from './cached-response';

/** The first caller for a key: it calls the model and settles what the others get. */
export type InFlightLeader = {
  role: 'leader';
  /**
   * Hands the answer to every caller that joined meanwhile: the stored response, or undefined
   * when nothing was stored (the call failed, was aborted or is not cacheable), so they call the
   * model themselves. Only the first settle counts.
   */
  settle(response: CachedResponse | undefined): void;
};

/** A later caller for the same key while the leader's call is in flight. */
export type InFlightFollower = {
  role: 'follower';
  /** The leader's stored answer, or undefined when it stored none. */
  answer: Promise<CachedResponse | undefined>;
};

/**
 * Where calls in flight meet, so identical calls share one model call. `InFlightAnswers` is the
 * in-process one; a shared store can offer one across processes (e.g. a Redis lock key), whose
 * `join` may need a round trip and so may return a promise.
 */
export interface AnswerCoalescer {
  join(key: string): InFlightLeader | InFlightFollower | Promise<InFlightLeader | InFlightFollower>;
}

/**
 * The coalescer an adapter uses for its `coalesce` option: none for false, the given one, or an
 * in-process `InFlightAnswers` (the default).
 */
export function coalescerFor(
  option: boolean | AnswerCoalescer | undefined,
  leaderTimeoutMs?: number,
): AnswerCoalescer | undefined {
  if (option === false) return undefined;
  if (option === undefined || option === true) return new InFlightAnswers(leaderTimeoutMs);
  return option;
}

/**
 * Request coalescing for cache misses: while one call for an exact key is in flight, identical
 * calls wait for its answer instead of each reaching the model. Keys are the cache's exact keys,
 * which include the scope, model, settings and whole conversation, so a follower only ever gets an
 * answer the cache would have returned to it a moment later.
 */
export class InFlightAnswers implements AnswerCoalescer {
  private readonly leaders = new Map<string, Promise<CachedResponse | undefined>>();

  /**
   * @param leaderTimeoutMs a leader that has not settled by then (a stream left unread, a call
   * that hangs) is dropped, so it cannot hold its key and make later identical calls wait.
   */
  constructor(private readonly leaderTimeoutMs = 120_000) {}

  /** Calls in flight (leaders not yet settled). */
  get size(): number {
    return this.leaders.size;
  }

  join(key: string): InFlightLeader | InFlightFollower {
    const existing = this.leaders.get(key);
    if (existing) return { role: 'follower', answer: existing };
    let resolve!: (response: CachedResponse | undefined) => void;
    const answer = new Promise<CachedResponse | undefined>((done) => {
      resolve = done;
    });
    this.leaders.set(key, answer);
    let settled = false;
    const settle = (response: CachedResponse | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(expiry);
      if (this.leaders.get(key) === answer) this.leaders.delete(key);
      resolve(response);
    };
    const expiry = setTimeout(() => settle(undefined), this.leaderTimeoutMs);
    // An idle registry must not keep the process alive.
    (expiry as { unref?: () => void }).unref?.();
    return { role: 'leader', settle };
  }
}

/**
 * Waits for a follower's answer: undefined as soon as the follower's own call is aborted, or once
 * `timeoutMs` passes (a leader whose stream was abandoned unread never settles), so the follower
 * then calls the model itself.
 */
export function awaitLeader(
  follower: InFlightFollower,
  signal: AbortSignal | undefined,
  timeoutMs = 120_000,
): Promise<CachedResponse | undefined> {
  if (signal?.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const finish = (response: CachedResponse | undefined) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    follower.answer.then(finish, () => finish(undefined));
  });
}
