import { describe, expect, it } from 'vitest';
import type { CachedResponse } from './cached-response';
import { awaitLeader, InFlightAnswers } from './in-flight-answers';

const answer: CachedResponse = {
  content: [{ type: 'text', text: 'Paris.' }],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 2 },
};

describe('InFlightAnswers', () => {
  it('makes the first caller the leader and hands its stored answer to the callers that joined', async () => {
    const inFlight = new InFlightAnswers();
    const leader = inFlight.join('key-1');
    const follower = inFlight.join('key-1');
    const other = inFlight.join('key-2');
    expect([leader.role, follower.role, other.role]).toEqual(['leader', 'follower', 'leader']);
    if (leader.role !== 'leader' || follower.role !== 'follower') throw new Error('roles');
    leader.settle(answer);
    leader.settle(undefined);
    expect(await follower.answer).toBe(answer);
    // Settled keys are free again: the next caller leads (and would find the stored entry first).
    expect(inFlight.join('key-1').role).toBe('leader');
  });

  it('tells followers to call the model themselves when the leader stored nothing, was aborted or never settles', async () => {
    const inFlight = new InFlightAnswers();
    const leader = inFlight.join('k');
    const follower = inFlight.join('k');
    if (leader.role !== 'leader' || follower.role !== 'follower') throw new Error('roles');
    leader.settle(undefined);
    expect(await awaitLeader(follower, undefined)).toBeUndefined();

    const stuck = new InFlightAnswers();
    stuck.join('k');
    const waiting = stuck.join('k');
    if (waiting.role !== 'follower') throw new Error('roles');
    const controller = new AbortController();
    const aborted = awaitLeader(waiting, controller.signal);
    controller.abort();
    expect(await aborted).toBeUndefined();
    expect(await awaitLeader(waiting, undefined, 5)).toBeUndefined();
  });

  it('drops a leader that never settles, so its key does not stay blocked', async () => {
    const inFlight = new InFlightAnswers(5);
    inFlight.join('k');
    const follower = inFlight.join('k');
    if (follower.role !== 'follower') throw new Error('roles');
    expect(await follower.answer).toBeUndefined();
    expect(inFlight.size).toBe(0);
    expect(inFlight.join('k').role).toBe('leader');
  });
});
