import type { AnswerCoalescer, CachedResponse, CacheWarning } from '@tokenomics/core';
import {
  decodeCacheEntry,
  encodeCacheEntry,
  InFlightAnswers,
  type InFlightFollower,
  type InFlightLeader,
} from '@tokenomics/core/internal';
import type { Redis } from 'ioredis';
import { describeError } from './redis-connection';
import type { RedisKeys } from './redis-keys';
import { runScript } from './run-script';

export type RedisInFlightAnswersOptions = {
  /** How long a leader holds its lock (a crashed leader frees it then). Default 120,000 ms. */
  leaderTimeoutMs?: number;
  /** How often a waiting process checks for the leader's answer. Default 50 ms. */
  pollMs?: number;
  /** How long a leader's answer stays readable for the processes waiting on it. Default 30,000 ms. */
  answerTtlMs?: number;
  onWarning: (warning: CacheWarning) => void;
};

/** ARGV: lock key, token, answer key, answer ('' for none), answer TTL. Releases only our own lock. */
const SETTLE_SCRIPT = `
if ARGV[4] ~= '' then redis.call('SET', ARGV[3], ARGV[4], 'PX', ARGV[5]) end
if redis.call('GET', ARGV[1]) == ARGV[2] then redis.call('DEL', ARGV[1]) end
return 0
`;

/**
 * Request coalescing across processes: the first caller of an exact key anywhere takes a Redis
 * lock (`SET NX PX`) and calls the model; identical calls in other processes wait for the answer
 * it publishes (or for the lock to go, and then call the model themselves). Within a process,
 * identical calls meet in memory first, so they cost Redis nothing. When Redis is unreachable,
 * coalescing falls back to this process alone: never a blocked call.
 */
export class RedisInFlightAnswers implements AnswerCoalescer {
  private readonly local: InFlightAnswers;
  private readonly leaderTimeoutMs: number;
  private readonly pollMs: number;
  private readonly answerTtlMs: number;

  constructor(
    private readonly client: Redis,
    private readonly keys: RedisKeys,
    private readonly options: RedisInFlightAnswersOptions,
  ) {
    this.leaderTimeoutMs = options.leaderTimeoutMs ?? 120_000;
    this.pollMs = Math.max(5, options.pollMs ?? 50);
    this.answerTtlMs = options.answerTtlMs ?? 30_000;
    this.local = new InFlightAnswers(this.leaderTimeoutMs);
  }

  async join(key: string): Promise<InFlightLeader | InFlightFollower> {
    const joined = this.local.join(key);
    if (joined.role === 'follower') return joined;
    const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
    let locked: boolean;
    try {
      locked = (await this.client.set(this.keys.lock(key), token, 'PX', this.leaderTimeoutMs, 'NX')) === 'OK';
    } catch (error) {
      this.warn(
        'coalescing-unavailable',
        `coalescing within this process only: ${describeError(error)}`,
        error,
      );
      return joined;
    }
    if (locked) return this.leader(key, token, joined);
    // Another process leads: wait for its answer, and hand it to this process's own followers.
    const answer = this.awaitRemoteAnswer(key);
    void answer.then((response) => joined.settle(response));
    return { role: 'follower', answer };
  }

  private leader(key: string, token: string, local: InFlightLeader): InFlightLeader {
    return {
      role: 'leader',
      settle: (response) => {
        local.settle(response);
        const encoded = response ? encodeCacheEntry({ response }) : '';
        runScript(this.client, SETTLE_SCRIPT, [
          this.keys.lock(key),
          token,
          this.keys.answer(key),
          encoded,
          this.answerTtlMs,
        ]).catch((error) =>
          this.warn('coalescing-unavailable', `could not publish an answer: ${describeError(error)}`, error),
        );
      },
    };
  }

  /** The leader's answer; undefined once its lock is gone without one, or the wait is over. */
  private async awaitRemoteAnswer(key: string): Promise<CachedResponse | undefined> {
    const deadline = Date.now() + this.leaderTimeoutMs;
    while (Date.now() < deadline) {
      try {
        const [answer, lock] = await Promise.all([
          this.client.get(this.keys.answer(key)),
          this.client.exists(this.keys.lock(key)),
        ]);
        if (answer !== null) return this.readAnswer(answer);
        if (lock === 0) return undefined;
      } catch {
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    return undefined;
  }

  private readAnswer(text: string): CachedResponse | undefined {
    const decoded = decodeCacheEntry(text);
    if (decoded.ok) return decoded.payload.response;
    this.warn('malformed-answer', `ignored a malformed coalesced answer: ${decoded.reason}`);
    return undefined;
  }

  private warn(code: string, message: string, cause?: unknown): void {
    this.options.onWarning({ code, message, cause });
  }
}
