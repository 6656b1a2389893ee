import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { CostLedger } from '../ledger/cost-ledger';
import { createPricing } from '../pricing/create-pricing';
import { createRouter } from './create-router';
import { llmJudgeScorer } from './scorers/llm-judge-scorer';
import {
  CHEAP,
  STRONG,
  scriptedTiers,
  TEST_PRICE_OVERRIDES,
  textAnswer,
  userRequest,
} from './test-support/router-fixtures';
import type { CallTier, PolicyOutcome, RoutePolicy } from './types';

/** Serves the strong tier and calls the cheap one in the shadow, every time; records what it learns. */
function shadowPolicy(): RoutePolicy & { outcomes: PolicyOutcome[] } {
  const outcomes: PolicyOutcome[] = [];
  return {
    name: 'shadow-test',
    outcomes,
    decide: async () => ({ tierIndex: 1, reason: 'exploring-in-shadow', shadowTierIndex: 0 }),
    update: async (outcome) => {
      outcomes.push(outcome);
    },
  };
}

/** A judge that gives the cheap tier's answer 0.25 and any other 1, sampling none of the served answers. */
const judge = llmJudgeScorer({
  judge: async ({ answerText }) => (answerText === 'cheap answer' ? 0.25 : 1),
  sampleShare: 0,
});

const dollars = (price: { inputPerMillion: number; outputPerMillion: number }) =>
  (100 * price.inputPerMillion + 50 * price.outputPerMillion) / 1e6;

/** A router whose circuit opens after one failure, so that a failure held against a tier shows. */
function touchyRouter(policy: RoutePolicy, shadowWaitMs?: number) {
  return createRouter({
    tiers: [CHEAP, STRONG],
    policy,
    rewardScorers: [judge],
    circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
    ...(shadowWaitMs === undefined ? {} : { shadowWaitMs }),
  });
}

/** A provider call that ends only when its signal aborts, failing with the signal's reason. */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener('abort', () => reject(signal.reason));
  });
}

/** Whether the next run still calls the cheap tier in the shadow (its circuit is closed). */
async function shadowCalledAgain(engine: ReturnType<typeof createRouter>): Promise<boolean> {
  const next = scriptedTiers({ cheap: textAnswer('cheap answer'), strong: textAnswer('strong answer') });
  await engine.run(userRequest('Name a sea.'), next);
  return next.calls.some((call) => call.purpose === 'shadow');
}

describe('createRouter: a shadow call (PolicyChoice.shadowTierIndex)', () => {
  it("returns the served tier's answer, reports both calls' spend, and teaches the policy the shadow answer's grade", async () => {
    const policy = shadowPolicy();
    const ledger = new CostLedger({
      pricing: createPricing({ registry: false, overrides: TEST_PRICE_OVERRIDES }),
    });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [judge], ledger });
    const callTier = scriptedTiers({
      cheap: textAnswer('cheap answer'),
      strong: textAnswer('strong answer'),
    });
    const result = await engine.run(userRequest('What is the capital of France?'), callTier);

    expect(result.tier.id).toBe('strong');
    expect(result.answer.content).toEqual([{ type: 'text', text: 'strong answer' }]);
    expect(callTier.calls.map((call) => [call.tierId, call.purpose]).sort()).toEqual([
      ['cheap', 'shadow'],
      ['strong', 'answer'],
    ]);
    const both = dollars(CHEAP.price!) + dollars(STRONG.price!);
    expect(result.cost.dollars).toBeCloseTo(both, 12);
    expect(result.usage.total).toEqual({ inputTokens: 200, outputTokens: 100 });
    expect(result.usage.tiers.map((tier) => tier.tierId).sort()).toEqual(['cheap', 'strong']);
    expect(ledger.entries()[0]?.spent.dollars).toBeCloseTo(both, 12);
    // The judge samples none of the served answers, yet grades the shadow answer: it was paid for that.
    expect(policy.outcomes).toHaveLength(1);
    expect(policy.outcomes[0]).toMatchObject({ tierIndex: 0, quality: 0.25, source: 'run' });
    const shadow = engine.explain(result.decision.traceId)?.attempts.find((a) => a.purpose === 'shadow');
    expect(shadow).toMatchObject({ tierId: 'cheap', outcome: 'extra', reason: 'exploring-in-shadow' });
    expect(result.trace.steps.some((step) => step.decision === 'shadow-call')).toBe(true);
  });

  it("rates the served tier, not the shadow one, with the user's feedback", async () => {
    const policy = shadowPolicy();
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [judge] });
    const callTier = scriptedTiers({
      cheap: textAnswer('cheap answer'),
      strong: textAnswer('strong answer'),
    });
    const result = await engine.run(userRequest('Name a prime number.'), callTier);
    await engine.feedback(result.decision.traceId, 0);
    expect(policy.outcomes.map((outcome) => [outcome.tierIndex, outcome.quality, outcome.source])).toEqual([
      [0, 0.25, 'run'],
      [1, 0, 'feedback'],
    ]);
  });

  it('refuses a policy that names a shadow tier that does not exist', async () => {
    const policy = {
      ...shadowPolicy(),
      decide: async () => ({ tierIndex: 1, reason: 'x', shadowTierIndex: 2 }),
    };
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy });
    await expect(engine.decide(userRequest('hello'))).rejects.toThrow(/shadow tier index 2/);
  });

  it('a failed shadow call neither fails the run nor teaches the policy anything', async () => {
    const policy = shadowPolicy();
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [judge] });
    const rateLimited = Object.assign(new Error('rate limited'), { status: 429 });
    const callTier = scriptedTiers({ cheap: rateLimited, strong: textAnswer('strong answer') });
    const result = await engine.run(userRequest('Name a colour.'), callTier);
    expect(result.answer.content).toEqual([{ type: 'text', text: 'strong answer' }]);
    expect(result.cost.dollars).toBeCloseTo(dollars(STRONG.price!), 12);
    expect(policy.outcomes).toEqual([]);
    // Not retried: one shadow call, recorded as failed.
    expect(callTier.calls.filter((call) => call.purpose === 'shadow')).toHaveLength(1);
    const attempt = result.attempts.find((a) => a.purpose === 'shadow');
    expect(attempt).toMatchObject({ tierId: 'cheap', outcome: 'failed', errorKind: 'rate-limit' });
  });

  it('stops the shadow call when the run fails, learns nothing from it, and holds nothing against its tier', async () => {
    const policy = shadowPolicy();
    const engine = touchyRouter(policy);
    const badRequest = Object.assign(new Error('bad request'), { status: 400 });
    let shadowSignal: AbortSignal | undefined;
    let shadowSettled = false;
    const callTier: CallTier = async (tier, _request, context) => {
      if (tier.id === 'strong') throw badRequest;
      // The shadow tier answers only once it is stopped (as a provider call does when aborted).
      shadowSignal = context.signal;
      return untilAborted(context.signal).finally(() => {
        shadowSettled = true;
      });
    };
    await expect(engine.run(userRequest('Name a river.'), callTier)).rejects.toBe(badRequest);
    expect(shadowSignal?.aborted).toBe(true);
    await vi.waitFor(() => expect(shadowSettled).toBe(true));
    expect(policy.outcomes).toEqual([]);
    // The stopped call did not open the tier's circuit: the next run calls it in the shadow again.
    expect(await shadowCalledAgain(engine)).toBe(true);
  });

  it("aborts the shadow call with the caller's signal, and still returns the served answer", async () => {
    const policy = shadowPolicy();
    const engine = touchyRouter(policy);
    const controller = new AbortController();
    const callTier: CallTier = async (tier, _request, context) => {
      if (tier.id === 'strong') {
        // The caller gives up after the served answer, while the shadow call is still going.
        setTimeout(() => controller.abort(), 0);
        return textAnswer('strong answer');
      }
      return untilAborted(context.signal);
    };
    const result = await engine.run(userRequest('Name a lake.'), callTier, { signal: controller.signal });
    expect(result.answer.content).toEqual([{ type: 'text', text: 'strong answer' }]);
    expect(result.attempts.find((a) => a.purpose === 'shadow')).toMatchObject({
      outcome: 'failed',
      reason: 'aborted',
    });
    expect(policy.outcomes).toEqual([]);
    // Not held against the tier: the next run calls it in the shadow again.
    expect(await shadowCalledAgain(engine)).toBe(true);
  });

  it('leaves no listener on a signal the caller reuses across runs', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: shadowPolicy(), rewardScorers: [judge] });
    const callTier = scriptedTiers({
      cheap: textAnswer('cheap answer'),
      strong: textAnswer('strong answer'),
    });
    const signal = new AbortController().signal;
    for (let call = 0; call < 20; call++) await engine.run(userRequest('Name a hill.'), callTier, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting for a shadow call after shadowWaitMs: returns the answer, and counts a timeout against the tier', async () => {
    const policy = shadowPolicy();
    const engine = touchyRouter(policy, 20);
    let shadowSignal: AbortSignal | undefined;
    // The shadow tier hangs and ignores its signal: the run must not wait for it.
    const callTier: CallTier = async (tier, _request, context) => {
      if (tier.id === 'strong') return textAnswer('strong answer');
      shadowSignal = context.signal;
      return new Promise<never>(() => {});
    };
    const result = await engine.run(userRequest('Name a mountain.'), callTier);
    expect(result.answer.content).toEqual([{ type: 'text', text: 'strong answer' }]);
    expect(shadowSignal?.aborted).toBe(true);
    expect(policy.outcomes).toEqual([]);
    expect(result.attempts.find((a) => a.purpose === 'shadow')).toMatchObject({
      outcome: 'failed',
      reason: 'shadow-wait-exceeded',
      errorKind: 'timeout',
    });
    // The hung tier's circuit is open: the next run skips its shadow call.
    expect(await shadowCalledAgain(engine)).toBe(false);
  });

  it('learns nothing from a shadow answer that arrives after the run stopped waiting, nor adds it to the trace', async () => {
    const policy = shadowPolicy();
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, rewardScorers: [judge], shadowWaitMs: 5 });
    let answered = false;
    const callTier: CallTier = async (tier) => {
      if (tier.id === 'strong') return textAnswer('strong answer');
      await new Promise((resolve) => setTimeout(resolve, 100));
      answered = true;
      return textAnswer('cheap answer');
    };
    const result = await engine.run(userRequest('Name a desert.'), callTier);
    await vi.waitFor(() => expect(answered).toBe(true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(policy.outcomes).toEqual([]);
    expect(result.trace.steps.some((step) => step.decision === 'shadow-call')).toBe(false);
  });

  it('refuses a shadowWaitMs that is not a usable delay', () => {
    for (const shadowWaitMs of [-1, Number.NaN, 2 ** 31])
      expect(() => createRouter({ tiers: [CHEAP, STRONG], policy: shadowPolicy(), shadowWaitMs })).toThrow(
        /shadowWaitMs/,
      );
  });
});
