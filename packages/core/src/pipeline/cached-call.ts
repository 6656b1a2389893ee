import type { CachedResponse } from '../cache/cached-response';
import { type AnswerCoalescer, awaitLeader, type InFlightLeader } from '../cache/in-flight-answers';
import type { CacheLookup, NearMatch, PendingStore } from '../cache/types';
import type { TraceStep } from '../trace/trace';

/**
 * The cache part of a call's lifecycle, written once for every adapter: look up → hit (decoded
 * for the adapter), or join the identical call in flight, or call the model → store → hand the
 * stored answer to the calls that waited. Adapters only convert their framework's call to a
 * request, and the answer to and from a `CachedResponse`.
 */
export type StartCachedCallOptions<Answer> = {
  /** The cache lookup (an engine's, or an adapter's wrapper of it). A throw counts as a miss. */
  lookup: () => Promise<CacheLookup>;
  /**
   * Turns a stored answer into what the adapter replays. Undefined (or a throw) means this adapter
   * cannot replay it: the call goes to the model and the fresh answer replaces the entry.
   */
  decode: (response: CachedResponse) => Answer | undefined;
  /**
   * The exact key identical calls share after a miss, or undefined when this call must not be
   * shared. Without a coalescer nothing is shared.
   */
  coalesceKey?: (miss: Extract<CacheLookup, { status: 'miss' }>) => string | undefined;
  coalescer?: AnswerCoalescer;
  /** How long a call waits for the identical one in flight. Default 120 s. */
  coalesceTimeoutMs?: number;
  /** The call's own abort signal: an aborted call stores nothing and stops waiting. */
  signal?: AbortSignal;
  /** Problems that do not fail the call (a throwing lookup, an unreadable entry). */
  onProblem?: (code: CachedCallProblem, cause: unknown) => void;
};

export type CachedCallProblem = 'lookup-failed' | 'unreadable-cached-answer';

/** A stored answer serves the call. */
export type CachedCallHit<Answer> = {
  status: 'hit';
  answer: Answer;
  response: CachedResponse;
  kind: 'exact' | 'semantic';
  /** Set for semantic hits. */
  similarity?: number;
  /** The entry's key (for a coalesced hit, the key the calls shared). */
  key: string | undefined;
  /** True when an identical call in flight produced the answer. */
  coalesced: boolean;
  steps: TraceStep[];
};

/** The model must be called; `finish` stores its answer and releases the calls that waited. */
export type CachedCallMiss = {
  status: 'call';
  decision: 'miss' | 'bypass';
  reason: string | undefined;
  steps: TraceStep[];
  /** False for a bypass (e.g. temperature > 0): the answer must not be stored either. */
  storable: boolean;
  /** What the lookup learned that the store reuses (key, embedding, a pending verification). */
  pending: PendingStore | undefined;
  /** The closest stored question of the scope, when the engine's near-match option is on. */
  nearMatch?: NearMatch;
  /**
   * Stores the model's answer through `store` (unless the call may not store, or was aborted) and
   * hands what was stored to identical calls waiting on this one. Call it exactly once: pass
   * `undefined` when there is nothing to store (an error, an incomplete answer), or call `abandon`.
   */
  finish<Outcome>(store: StoreAnswer<Outcome> | undefined): Promise<Outcome | undefined>;
  /** Releases waiting calls without storing (the model call failed or was aborted). */
  abandon(): void;
};

/** Stores an answer; `stored` is the answer as stored, or undefined when it was not. */
export type StoreAnswer<Outcome> = () => Promise<{ outcome: Outcome; stored: CachedResponse | undefined }>;

export type CachedCall<Answer> = CachedCallHit<Answer> | CachedCallMiss;

/** Asks the cache, and on a miss joins the identical calls in flight (see `StartCachedCallOptions`). */
export async function startCachedCall<Answer>(
  options: StartCachedCallOptions<Answer>,
): Promise<CachedCall<Answer>> {
  const lookup = await safeLookup(options);
  if (lookup.status === 'hit') {
    const answer = decodeSafely(options, lookup.response);
    if (answer !== undefined) {
      const hit: CachedCallHit<Answer> = {
        status: 'hit',
        answer,
        response: lookup.response,
        kind: lookup.kind,
        key: lookup.key,
        coalesced: false,
        steps: [lookup.trace],
      };
      if (lookup.similarity !== undefined) hit.similarity = lookup.similarity;
      return hit;
    }
    const trace = { ...lookup.trace, decision: 'miss', reason: 'cached answer could not be replayed' };
    return missCall(options, { status: 'miss', trace }, undefined);
  }
  if (lookup.status === 'bypass') return missCall(options, lookup, undefined);
  const key = options.coalescer ? options.coalesceKey?.(lookup) : undefined;
  if (key === undefined || !options.coalescer) return missCall(options, lookup, undefined);
  const joined = await options.coalescer.join(key);
  if (joined.role === 'leader') return missCall(options, lookup, guardedLeader(joined, options.signal));
  const response = await awaitLeader(joined, options.signal, options.coalesceTimeoutMs);
  const answer = response && decodeSafely(options, response);
  if (!response || answer === undefined) return missCall(options, lookup, undefined);
  const step: TraceStep = {
    stage: 'cache',
    decision: 'hit',
    reason: 'coalesced: an identical call in flight stored this answer',
  };
  return {
    status: 'hit',
    answer,
    response,
    kind: 'exact',
    key,
    coalesced: true,
    steps: [lookup.trace, step],
  };
}

function missCall(
  options: StartCachedCallOptions<unknown>,
  lookup: Exclude<CacheLookup, { status: 'hit' }>,
  leader: InFlightLeader | undefined,
): CachedCallMiss {
  const storable = lookup.status === 'miss';
  const pending = lookup.status === 'miss' ? lookup.pending : undefined;
  const release = (response: CachedResponse | undefined) => leader?.settle(response);
  return {
    status: 'call',
    decision: lookup.status,
    reason: lookup.status === 'bypass' ? lookup.reason : lookup.trace.reason,
    steps: [lookup.trace],
    storable,
    pending,
    ...(lookup.status === 'miss' && lookup.nearMatch ? { nearMatch: lookup.nearMatch } : {}),
    abandon: () => release(undefined),
    async finish(store) {
      let stored: CachedResponse | undefined;
      try {
        if (!storable || !store || options.signal?.aborted) return undefined;
        const result = await store();
        stored = result.stored;
        return result.outcome;
      } finally {
        release(stored);
      }
    },
  };
}

async function safeLookup(options: StartCachedCallOptions<unknown>): Promise<CacheLookup> {
  try {
    return await options.lookup();
  } catch (error) {
    // The engine contract says lookup never throws; a custom one might, and must not fail the call.
    options.onProblem?.('lookup-failed', error);
    return { status: 'miss', trace: { stage: 'cache', decision: 'error', reason: 'lookup threw' } };
  }
}

function decodeSafely<Answer>(
  options: StartCachedCallOptions<Answer>,
  response: CachedResponse,
): Answer | undefined {
  try {
    return options.decode(response);
  } catch (error) {
    options.onProblem?.('unreadable-cached-answer', error);
    return undefined;
  }
}

/**
 * The leader, also settled (with nothing) as soon as its call is aborted: a framework may stop
 * pulling an aborted stream without ever closing it, so the code after it may never run.
 */
function guardedLeader(leader: InFlightLeader, signal: AbortSignal | undefined): InFlightLeader {
  const giveUp = () => settle(undefined);
  const settle = (response: CachedResponse | undefined) => {
    signal?.removeEventListener('abort', giveUp);
    leader.settle(response);
  };
  if (signal?.aborted) giveUp();
  else signal?.addEventListener('abort', giveUp, { once: true });
  return { role: 'leader', settle };
}
