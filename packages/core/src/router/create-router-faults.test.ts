import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRouter } from './create-router';
import { AllTiersFailedError } from './errors';
import { fixed } from './policies/baseline-policies';
import { cascade } from './policies/cascade';
import { contextualBandit } from './policies/contextual-bandit';
import { routeMetadata } from './route-metadata';
import { refusalScorer } from './scorers/heuristic-scorers';
import { CHEAP, STRONG, scriptedTiers, textAnswer, userRequest } from './test-support/router-fixtures';
import type { CallTier, TierAnswer } from './types';

function httpError(status: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`${status} from provider`), { status, headers });
}

/** Answers from `answers` per tier, each call taking the next entry (the last one repeats). */
function sequencedTiers(answers: Record<string, Array<TierAnswer | Error>>) {
  const calls: string[] = [];
  const callTier: CallTier = async (tier) => {
    calls.push(tier.id);
    const list = answers[tier.id] ?? [];
    const used = calls.filter((id) => id === tier.id).length - 1;
    const answer = list[Math.min(used, list.length - 1)];
    if (answer === undefined) throw new Error(`nothing scripted for ${tier.id}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { callTier, calls };
}

describe('router under provider faults', () => {
  afterEach(() => vi.useRealTimers());

  it('retries a 503 on the same tier with backoff and keeps its answer', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: fixed('cheap'),
      retry: { maxRetries: 2, initialDelayMs: 1 },
    });
    const tiers = sequencedTiers({
      cheap: [httpError(503), textAnswer('cheap answer')],
      strong: [textAnswer('x')],
    });
    const result = await engine.run(userRequest('hello'), tiers.callTier);
    expect(tiers.calls).toEqual(['cheap', 'cheap']);
    expect(result.tier.id).toBe('cheap');
    expect(result.attempts.map((attempt) => [attempt.outcome, attempt.errorKind])).toEqual([
      ['failed', 'server'],
      ['accepted', undefined],
    ]);
    expect(result.trace.steps.some((step) => step.decision === 'retry')).toBe(true);
  });

  it('falls back at once when the provider asks to wait longer than the longest retry delay', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: fixed('cheap'),
      retry: { maxRetries: 3, maxDelayMs: 1000 },
    });
    const tiers = sequencedTiers({
      cheap: [httpError(429, { 'retry-after': '60' })],
      strong: [textAnswer('strong answer')],
    });
    const result = await engine.run(userRequest('hello'), tiers.callTier);
    expect(tiers.calls).toEqual(['cheap', 'strong']);
    expect(result.attempts[0]?.errorKind).toBe('rate-limit');
  });

  it('surfaces a 400 at once: the request is not re-sent to every tier', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap') });
    const badRequest = httpError(400);
    const tiers = sequencedTiers({ cheap: [badRequest], strong: [textAnswer('never')] });
    const failure = await engine.run(userRequest('hello'), tiers.callTier).catch((error: unknown) => error);
    expect(failure).toBe(badRequest);
    expect(tiers.calls).toEqual(['cheap']);
  });

  it('does not learn rate limits as bad answers: the bandit returns to the cheap tier once it recovers', async () => {
    const policy = contextualBandit({ prior: () => 0.85, exploration: 0.05, costWeight: 0.3, forgetting: 1 });
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy,
      seed: 3,
      retry: false,
      circuitBreaker: false,
    });
    const limited = scriptedTiers({ cheap: httpError(429), strong: textAnswer('The answer is 4.') });
    for (let call = 0; call < 30; call++) await engine.run(userRequest(`question ${call}`), limited);
    let cheapFirst = 0;
    const healthy = scriptedTiers({
      cheap: textAnswer('The answer is 4.'),
      strong: textAnswer('The answer is 4.'),
    });
    for (let call = 0; call < 100; call++) {
      const result = await engine.run(userRequest(`question ${call}`), healthy);
      if (result.decision.tier.id === 'cheap') cheapFirst++;
    }
    expect(cheapFirst).toBeGreaterThan(80);
  });

  it('opens a tier circuit after repeated failures, skips the tier, and tries it again after the cool-down', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: fixed('cheap'),
      retry: false,
      circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
    });
    const down = scriptedTiers({ cheap: httpError(502), strong: textAnswer('strong answer') });
    for (let call = 0; call < 3; call++) await engine.run(userRequest('hello'), down);
    expect(down.calls.filter((call) => call.tierId === 'cheap')).toHaveLength(3);

    const skipped = await engine.run(userRequest('hello'), down);
    expect(down.calls.filter((call) => call.tierId === 'cheap')).toHaveLength(3);
    expect(skipped.attempts[0]).toMatchObject({
      tierId: 'cheap',
      outcome: 'skipped',
      reason: 'circuit-open',
    });
    expect(skipped.tier.id).toBe('strong');

    vi.setSystemTime(60_001);
    const recovered = scriptedTiers({ cheap: textAnswer('cheap again'), strong: textAnswer('x') });
    const result = await engine.run(userRequest('hello'), recovered);
    expect(result.tier.id).toBe('cheap');
  });

  it("does not hold the caller's aborts against a tier: its circuit stays closed", async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: fixed('cheap'),
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    // The tier fails as a provider call does when its signal is aborted: with the signal's reason.
    const abortable: CallTier = async (_tier, _request, context) => {
      await new Promise((_, reject) => {
        if (context.signal?.aborted) reject(context.signal.reason);
        context.signal?.addEventListener('abort', () => reject(context.signal?.reason));
      });
      return textAnswer('never');
    };
    for (let call = 0; call < 3; call++) {
      const controller = new AbortController();
      const running = engine.run(userRequest('hello'), abortable, { signal: controller.signal });
      controller.abort();
      await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    }
    const up = scriptedTiers({ cheap: textAnswer('cheap answer'), strong: textAnswer('strong answer') });
    const result = await engine.run(userRequest('hello'), up);
    expect(result.tier.id).toBe('cheap');
    expect(result.attempts.some((attempt) => attempt.reason === 'circuit-open')).toBe(false);
  });

  it('tries a tier whose circuit is open when every other tier is open too', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: fixed('cheap'),
      retry: false,
      circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    const down = scriptedTiers({ cheap: httpError(500), strong: httpError(500) });
    await expect(engine.run(userRequest('hello'), down)).rejects.toSatisfy(AllTiersFailedError.isInstance);
    const up = scriptedTiers({ cheap: textAnswer('back'), strong: textAnswer('back') });
    const result = await engine.run(userRequest('hello'), up);
    expect(up.calls).toHaveLength(1);
    expect(result.answer.content).toEqual([{ type: 'text', text: 'back' }]);
  });

  it('reports the usage of every call: total and per tier, in the result and the route metadata', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: cascade({ scorers: [refusalScorer()] }) });
    const callTier = scriptedTiers({
      cheap: textAnswer("I'm sorry, I can't help with that.", {
        usage: { inputTokens: 100, outputTokens: 20 },
      }),
      strong: textAnswer('Here it is.', { usage: { inputTokens: 100, outputTokens: 50 } }),
    });
    const result = await engine.run(userRequest('help me'), callTier);
    expect(result.answer.usage).toEqual({ inputTokens: 100, outputTokens: 50 });
    expect(result.usage.total).toEqual({ inputTokens: 200, outputTokens: 70 });
    const metadata = routeMetadata(result);
    expect(metadata.usage.tiers.map((tier) => [tier.tierId, tier.usage.outputTokens, tier.calls])).toEqual([
      ['cheap', 20, 1],
      ['strong', 50, 1],
    ]);
    expect(metadata.usage.tiers.reduce((sum, tier) => sum + tier.dollars, 0)).toBeCloseTo(
      result.cost.dollars,
      12,
    );
  });
});
