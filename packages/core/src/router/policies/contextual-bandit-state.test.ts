import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter } from '../create-router';
import { functionScorer } from '../scorers/learned-scorer';
import { MemoryBanditStateStore } from '../state/memory-bandit-state-store';
import { CHEAP, STRONG, textAnswer, userRequest } from '../test-support/router-fixtures';
import type { BanditStateStore, CallTier } from '../types';
import { type ContextualBanditOptions, contextualBandit } from './contextual-bandit';

const oracle = functionScorer('oracle', ({ answer }) => answer.metadata?.correct as number);
/** The cheap tier is always wrong: a bandit that starts out trusting it learns otherwise. */
const cheapIsWrong: CallTier = async (tier) =>
  textAnswer('answer', { metadata: { correct: tier.id === 'cheap' ? 0 : 1 } });

function router(store: BanditStateStore, options: ContextualBanditOptions = {}) {
  const policy = contextualBandit({ store, forgetting: 1, initialQuality: 0.8, ...options });
  return {
    policy,
    engine: createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [oracle], seed: 5 }),
  };
}

async function learn(engine: ReturnType<typeof router>['engine'], requests: number): Promise<void> {
  for (let index = 0; index < requests; index++)
    await engine.run(userRequest(`question ${index}`), cheapIsWrong);
}

describe('contextualBandit state across configurations and processes', () => {
  afterEach(() => vi.useRealTimers());

  it('uses the configured λ, not the one a store kept from an earlier configuration', async () => {
    const store = new MemoryBanditStateStore();
    await learn(router(store, { costWeight: 2 }).engine, 5);
    expect((await store.load('default'))?.costWeight).toBe(2);
    const reconfigured = router(store, { costWeight: 0.1 });
    const decision = await reconfigured.engine.decide(userRequest('hello'));
    expect(decision.details?.costWeight).toBe(0.1);
    await learn(reconfigured.engine, 1);
    expect((await store.load('default'))?.costWeight).toBe(0.1);
  });

  it('keeps what it learned when the feature layout changes (an embedding projection is added)', async () => {
    const store = new MemoryBanditStateStore();
    await learn(router(store).engine, 40);
    const before = await store.load('default');
    const projected = router(store, { embeddingProjection: 8 });
    const snapshot = await projected.policy.snapshot();
    expect(snapshot?.schema).toContain('projection8');
    expect(snapshot?.steps).toBe(before?.steps);
    expect(snapshot?.arms.cheap?.observations).toBe(before?.arms.cheap?.observations);
    // What it learned still counts: the cheap tier is worth much less than a fresh bandit believes.
    const decision = await projected.engine.decide(userRequest('question 1'));
    const fresh = await router(new MemoryBanditStateStore(), { embeddingProjection: 8 }).engine.decide(
      userRequest('question 1'),
    );
    const cheapMean = (choice: typeof decision) =>
      choice.arms?.find((arm) => arm.tierId === 'cheap')?.mean ?? 0;
    expect(cheapMean(decision)).toBeLessThan(cheapMean(fresh) - 0.3);
  });

  it('a process that only decides sees other processes’ updates after the refresh interval', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const store = new MemoryBanditStateStore();
    const decider = router(store, { refreshIntervalMs: 10_000 });
    const observed = async () =>
      ((await decider.engine.decide(userRequest('hi'))).arms ?? []).reduce(
        (sum, arm) => sum + (arm.observations ?? 0),
        0,
      );
    expect(await observed()).toBe(0);
    await learn(router(store).engine, 25);
    vi.setSystemTime(5_000);
    expect(await observed()).toBe(0);
    vi.setSystemTime(10_001);
    expect(await observed()).toBeGreaterThan(0);
  });
});
