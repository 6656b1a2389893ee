import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { CostLedger } from '../ledger/cost-ledger';
import { createPricing } from '../pricing/create-pricing';
import { createRouter } from './create-router';
import { AllTiersFailedError, InvalidRouterOptionsError } from './errors';
import { LEXICAL_FEATURE_NAMES } from './features/lexical-features';
import { fixed, random } from './policies/baseline-policies';
import { cascade } from './policies/cascade';
import { classifierPrior } from './policies/classifier-prior';
import { contextualBandit } from './policies/contextual-bandit';
import { neighbourBandit } from './policies/neighbour-bandit';
import { routeMetadata } from './route-metadata';
import { refusalScorer } from './scorers/heuristic-scorers';
import {
  CHEAP,
  MIDDLE,
  STRONG,
  scriptedTiers,
  TEST_PRICE_OVERRIDES,
  textAnswer,
  userRequest,
} from './test-support/router-fixtures';
import type { RoutePrior, Tier } from './types';

/** A prior that believes short prompts are easy. */
const lengthPrior: RoutePrior = (features) => (features.text.length < 40 ? 0.9 : 0.2);

describe('createRouter', () => {
  it('sorts tiers cheapest first whatever order they are given in', () => {
    const engine = createRouter({ tiers: [STRONG, CHEAP, MIDDLE], policy: fixed('cheapest') });
    expect(engine.tiers.map((tier) => tier.id)).toEqual(['cheap', 'middle', 'strong']);
  });

  it('rejects fewer than two tiers and duplicate ids', () => {
    expect(() => createRouter({ tiers: [CHEAP], policy: fixed('cheap') })).toThrow(InvalidRouterOptionsError);
    expect(() =>
      createRouter({ tiers: [CHEAP, { ...STRONG, id: 'cheap' }], policy: fixed('cheap') }),
    ).toThrow(/used twice/);
  });

  it('routes by the classifier prior against its threshold', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: classifierPrior({ prior: lengthPrior, threshold: 0.5 }),
    });
    const easy = await engine.decide(userRequest('What is 2 + 2?'));
    const hard = await engine.decide(
      userRequest('Prove that there are infinitely many primes of the form 4k + 3, with every step.'),
    );
    expect([easy.tier.id, easy.prior, easy.reason]).toEqual(['cheap', 0.9, 'prior-at-or-above-threshold']);
    expect([hard.tier.id, hard.prior, hard.reason]).toEqual(['strong', 0.2, 'prior-below-threshold']);
  });

  it('calls the chosen tier with its model and settings merged over the request', async () => {
    const engine = createRouter({
      tiers: [{ ...CHEAP, settings: { temperature: 0 } }, STRONG],
      policy: fixed('cheap'),
    });
    const seen: unknown[] = [];
    const result = await engine.run(
      userRequest('hi', { settings: { maxOutputTokens: 10, temperature: 1 } }),
      async (tier, request) => {
        seen.push([tier.id, request.model, request.settings]);
        return textAnswer('hello');
      },
    );
    expect(seen).toEqual([['cheap', 'test:cheap-model', { maxOutputTokens: 10, temperature: 0 }]]);
    expect(result.answer.content).toEqual([{ type: 'text', text: 'hello' }]);
  });

  it('falls back to another tier when one throws, with the error in the trace', async () => {
    const ledger = new CostLedger({
      pricing: createPricing({ overrides: TEST_PRICE_OVERRIDES, registry: false }),
    });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap'), ledger, retry: false });
    const callTier = scriptedTiers({ cheap: new Error('rate limited (429)'), strong: textAnswer('fine') });
    const result = await engine.run(userRequest('hello'), callTier);
    expect(result.tier.id).toBe('strong');
    expect(result.attempts.map((attempt) => [attempt.tierId, attempt.outcome])).toEqual([
      ['cheap', 'failed'],
      ['strong', 'accepted'],
    ]);
    const error = result.trace.steps.find((step) => step.stage === 'model' && step.decision === 'error');
    expect(error?.reason).toBe('rate limited (429)');
    const fallback = result.trace.steps.find((step) => step.decision === 'fallback');
    expect(fallback?.details).toEqual({ from: 'cheap', to: 'strong', kind: 'rate-limit' });
    // A failed call spent nothing the ledger can see: only the answer is charged.
    expect(ledger.entries()[0]?.model).toBe('test:strong-model');
    expect(engine.explain(result.decision.traceId)?.attempts[0]?.error?.message).toBe('rate limited (429)');
  });

  it('falls back to a cheaper tier when the strongest one fails', async () => {
    const engine = createRouter({ tiers: [CHEAP, MIDDLE, STRONG], policy: fixed('strongest') });
    const callTier = scriptedTiers({
      strong: new Error('down'),
      middle: textAnswer('from middle'),
      cheap: textAnswer('x'),
    });
    const result = await engine.run(userRequest('hello'), callTier);
    expect(callTier.calls.map((call) => call.tierId)).toEqual(['strong', 'middle']);
    expect(result.tier.id).toBe('middle');
  });

  it('throws AllTiersFailedError naming each failure when every tier fails, or at once without fallback', async () => {
    const callTier = scriptedTiers({ cheap: new Error('a'), strong: new Error('b') });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap') });
    const failure = await engine.run(userRequest('hello'), callTier).catch((error: unknown) => error);
    expect(AllTiersFailedError.isInstance(failure)).toBe(true);
    expect((failure as AllTiersFailedError).errors.map((entry) => entry.tierId)).toEqual(['cheap', 'strong']);

    const strict = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap'), fallback: false });
    const single = await strict
      .run(userRequest('hello'), scriptedTiers({ cheap: new Error('a') }))
      .catch((error: unknown) => error);
    expect((single as AllTiersFailedError).errors).toHaveLength(1);
  });

  it('records a routed call in the ledger against the strongest tier as baseline', async () => {
    const ledger = new CostLedger({
      pricing: createPricing({ overrides: TEST_PRICE_OVERRIDES, registry: false }),
    });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap'), ledger });
    const result = await engine.run(userRequest('hello'), scriptedTiers({ cheap: textAnswer('hi') }));
    const record = ledger.entries()[0];
    expect(record).toMatchObject({
      stage: 'router',
      model: 'test:cheap-model',
      baselineModel: 'test:strong-model',
    });
    expect(record?.saved.dollars).toBeCloseTo((100 * (2.5 - 0.15) + 50 * (10 - 0.6)) / 1e6, 12);
    expect(result.cost.baselineDollars).toBeCloseTo((100 * 2.5 + 50 * 10) / 1e6, 12);
    expect(result.trace.steps.some((step) => step.stage === 'ledger')).toBe(true);
  });

  it('explain returns the numbers behind a decision', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: contextualBandit({ prior: lengthPrior }),
      seed: 5,
    });
    const result = await engine.run(
      userRequest('What is 2 + 2?'),
      scriptedTiers({ cheap: textAnswer('4'), strong: textAnswer('4') }),
    );
    await engine.feedback(result.decision.traceId, 1);
    const explanation = engine.explain(result.decision.traceId);
    expect(explanation?.prior).toBe(0.9);
    expect(explanation?.policy).toBe('bandit:thompson');
    expect(explanation?.tierId).toBe(result.decision.tier.id);
    expect(Object.keys(explanation?.features.lexical ?? {})).toEqual([...LEXICAL_FEATURE_NAMES]);
    expect(explanation?.features.tokenCount).toBeGreaterThan(0);
    expect(explanation?.arms).toHaveLength(2);
    for (const arm of explanation?.arms ?? []) {
      expect(Number.isFinite(arm.sampled)).toBe(true);
      expect(Number.isFinite(arm.mean)).toBe(true);
      expect(arm.priorQuality).toBeDefined();
    }
    expect(explanation?.feedback).toEqual([1]);
    expect(explanation?.attempts[0]?.outcome).toBe('accepted');
    expect(engine.explain('unknown')).toBeUndefined();
  });

  it('keeps a bounded number of decision records', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('cheap'), maxDecisions: 2 });
    const first = await engine.decide(userRequest('one'));
    await engine.decide(userRequest('two'));
    await engine.decide(userRequest('three'));
    expect(engine.explain(first.traceId)).toBeUndefined();
    expect(await engine.feedback(first.traceId, 1)).toBe(false);
  });

  it('the random baseline repeats under a seed and follows its strong share', async () => {
    const routes = async (seed: number) => {
      const engine = createRouter({ tiers: [CHEAP, STRONG], policy: random({ strongShare: 0.3 }), seed });
      const chosen: string[] = [];
      for (let index = 0; index < 400; index++)
        chosen.push((await engine.decide(userRequest(`q${index}`))).tier.id);
      return chosen;
    };
    const first = await routes(11);
    expect(await routes(11)).toEqual(first);
    expect(await routes(12)).not.toEqual(first);
    const strongShare = first.filter((id) => id === 'strong').length / first.length;
    expect(strongShare).toBeGreaterThan(0.22);
    expect(strongShare).toBeLessThan(0.38);
  });

  it('observe lets an adapter that called the tier itself teach the bandit', async () => {
    const policy = contextualBandit({ initialQuality: 0.8, exploration: 0.01, forgetting: 1 });
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy, seed: 2 });
    for (let index = 0; index < 20; index++) {
      const decision = await engine.decide(userRequest('Tell me a joke'));
      const answer = textAnswer(
        decision.tier.id === 'cheap' ? "I can't help with that." : 'Why did the chicken...',
      );
      expect(await engine.observe(decision.traceId, { tierId: decision.tier.id, answer })).toBe(true);
      expect(await engine.observe(decision.traceId, { tierId: decision.tier.id, quality: 1 })).toBe(false);
    }
    expect((await engine.decide(userRequest('Tell me a joke'))).tier.id).toBe('strong');
  });

  it('explains the λ each decision of a budgeted neighbourBandit used, rising while the reference overspends', async () => {
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      embedder: new HashingEmbedder({ dimensions: 64 }),
      policy: neighbourBandit({ costWeight: 0.3, budget: { shareOfReference: 0.2, step: 0.01 } }),
      seed: 3,
    });
    const lambdas: number[] = [];
    for (let index = 0; index < 40; index++) {
      const decision = await engine.decide(
        userRequest(`question number ${index}: what is ${index} squared?`),
      );
      lambdas.push(engine.explain(decision.traceId)?.details?.costWeight as number);
    }
    // No outcome yet: the reference serves (bar the exploring share), far above a fifth of its cost.
    expect(lambdas[0]).toBe(0.3);
    expect(lambdas.at(-1)).toBeGreaterThan(0.45);
    expect(lambdas.at(-1)).toBeLessThanOrEqual(1);
  });

  // Its speed (p50 ≤ 0.5 ms) is measured by `tokenomics bench routing-latency`, not here.
  it('decide only chooses: no tier is called, nothing is learned, and the time it took is explained', async () => {
    const policy = contextualBandit({ prior: lengthPrior });
    const engine = createRouter({ tiers: [CHEAP, MIDDLE, STRONG], policy, seed: 1 });
    const request = userRequest(
      'Explain why the derivative of sin(x) is cos(x), and give a short proof using the limit definition.',
    );
    const decisions = [];
    for (let index = 0; index < 5; index++) decisions.push(await engine.decide(request));
    for (const decision of decisions) {
      const explanation = engine.explain(decision.traceId);
      expect(explanation?.attempts).toEqual([]);
      expect(decision.durationMs).toBeGreaterThanOrEqual(0);
      expect(explanation?.durationMs).toBe(decision.durationMs);
    }
    // Learning waits for an outcome (`run`, `observe` or `feedback`).
    expect(await policy.snapshot()).toBeUndefined();
  });

  it('embeds the prompt with the configured embedder, or uses the embedding it is given', async () => {
    const seen: number[] = [];
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: classifierPrior({
        prior: (features) => {
          seen.push(features.embedding?.length ?? 0);
          return 0.9;
        },
      }),
      embedder: new HashingEmbedder({ dimensions: 64 }),
    });
    const embedded = await engine.decide(userRequest('What is the boiling point of water?'));
    expect(engine.explain(embedded.traceId)?.features.embeddingDimensions).toBe(64);
    await engine.decide(userRequest('hi'), { embedding: new Float32Array(3) });
    expect(seen).toEqual([64, 3]);
  });
});

describe('createRouter prices from tier prices', () => {
  // A fine-tuned model the registry cannot know, and a registry model at a negotiated rate.
  const tuned: Tier = {
    id: 'tuned',
    model: 'acme:ft-small-2026',
    price: { inputPerMillion: 0.3, outputPerMillion: 1.2 },
  };
  const negotiated: Tier = {
    id: 'large',
    model: 'openai:gpt-4o',
    price: { inputPerMillion: 2, outputPerMillion: 8 },
  };
  const atRates = (tier: Tier, input: number, output: number) =>
    (input * (tier.price?.inputPerMillion ?? 0) + output * (tier.price?.outputPerMillion ?? 0)) / 1e6;

  it('records a direct route at the tier prices in the ledger, the trace and the route metadata', async () => {
    // The ledger's own pricing is the bundled registry: it knows gpt-4o at list price, not the tuned model.
    const ledger = new CostLedger();
    expect(ledger.pricing.price('openai:gpt-4o')?.inputPerMillion).not.toBe(2);
    const engine = createRouter({ tiers: [negotiated, tuned], policy: fixed('cheapest'), ledger });
    const result = await engine.run(userRequest('hello'), scriptedTiers({ tuned: textAnswer('hi') }));

    const spent = atRates(tuned, 100, 50);
    const baseline = atRates(negotiated, 100, 50);
    const record = ledger.entries()[0]!;
    expect(record).toMatchObject({ model: 'acme:ft-small-2026', baselineModel: 'openai:gpt-4o' });
    expect(record.priceKnown).toBe(true);
    expect(record.spent.dollars).toBeCloseTo(spent, 12);
    expect(record.baseline.dollars).toBeCloseTo(baseline, 12);
    expect(record.saved.dollars).toBeCloseTo(baseline - spent, 12);
    expect(result.cost).toEqual({
      dollars: record.spent.dollars,
      baselineDollars: record.baseline.dollars,
      priceKnown: true,
    });
    const ledgerStep = result.trace.steps.find((step) => step.stage === 'ledger');
    expect(ledgerStep?.details).toMatchObject({
      spentDollars: record.spent.dollars,
      savedDollars: record.saved.dollars,
    });
    expect(routeMetadata(result).cost).toEqual({
      dollars: record.spent.dollars,
      baselineDollars: record.baseline.dollars,
      savedDollars: record.saved.dollars,
      priceKnown: true,
    });
  });

  it('charges both calls of a cascade escalation at their own tier prices, against the baseline tier price', async () => {
    const ledger = new CostLedger();
    const engine = createRouter({
      tiers: [tuned, negotiated],
      policy: cascade({ scorers: [refusalScorer()] }),
      ledger,
    });
    const result = await engine.run(
      userRequest('What is six times seven?'),
      scriptedTiers({
        tuned: textAnswer("I'm sorry, but I can't help with that.", {
          usage: { inputTokens: 200, outputTokens: 20 },
        }),
        large: textAnswer('42', { usage: { inputTokens: 200, outputTokens: 5 } }),
      }),
    );
    expect(result.attempts.map((attempt) => `${attempt.tierId}:${attempt.outcome}`)).toEqual([
      'tuned:escalated',
      'large:accepted',
    ]);

    const record = ledger.entries()[0]!;
    expect(record.priceKnown).toBe(true);
    const calls = Object.fromEntries((record.spent.calls ?? []).map((call) => [call.model, call.dollars]));
    expect(calls['acme:ft-small-2026']).toBeCloseTo(atRates(tuned, 200, 20), 12);
    expect(calls['openai:gpt-4o']).toBeCloseTo(atRates(negotiated, 200, 5), 12);
    expect(record.spent.dollars).toBeCloseTo(atRates(tuned, 200, 20) + atRates(negotiated, 200, 5), 12);
    expect(record.baseline.dollars).toBeCloseTo(atRates(negotiated, 200, 5), 12);
    expect(record.saved.dollars).toBeCloseTo(-atRates(tuned, 200, 20), 12);
    const metadata = routeMetadata(result);
    expect(metadata.cost.dollars).toBeCloseTo(record.spent.dollars, 12);
    expect(metadata.cost.baselineDollars).toBeCloseTo(record.baseline.dollars, 12);
    expect(metadata.route.attempts.map((attempt) => attempt.dollars)).toEqual([
      calls['acme:ft-small-2026'],
      calls['openai:gpt-4o'],
    ]);
  });

  it('uses the baseline tier price for the baseline when another tier is named as baseline', async () => {
    const middle: Tier = {
      id: 'middle',
      model: 'acme:ft-medium',
      price: { inputPerMillion: 1, outputPerMillion: 3 },
    };
    const ledger = new CostLedger();
    const engine = createRouter({
      tiers: [tuned, middle, negotiated],
      policy: fixed('cheapest'),
      baselineTier: 'middle',
      ledger,
    });
    const result = await engine.run(userRequest('hello'), scriptedTiers({ tuned: textAnswer('hi') }));
    expect(ledger.entries()[0]?.baseline.dollars).toBeCloseTo(atRates(middle, 100, 50), 12);
    expect(result.cost.baselineDollars).toBeCloseTo(atRates(middle, 100, 50), 12);
  });

  it('flags a model with neither a tier price nor a registry price, with no made-up saving', async () => {
    const ledger = new CostLedger();
    const unknown: Tier = { id: 'unknown', model: 'acme:no-such-model' };
    const listed: Tier = { id: 'listed', model: 'openai:gpt-4o' };
    // Unpriced tiers sort after priced ones, so the listed model is named as the baseline.
    const engine = createRouter({
      tiers: [unknown, listed],
      policy: fixed('unknown'),
      baselineTier: 'listed',
      ledger,
    });
    const result = await engine.run(userRequest('hello'), scriptedTiers({ unknown: textAnswer('hi') }));

    const record = ledger.entries()[0]!;
    expect(record.priceKnown).toBe(false);
    expect(record.unpricedModels).toEqual(['acme:no-such-model']);
    expect(result.cost).toMatchObject({
      dollars: 0,
      priceKnown: false,
      unpricedModels: ['acme:no-such-model'],
    });
    // The baseline is priced, yet the saving is not claimed: the spent side is unknown, not free.
    expect(result.cost.baselineDollars).toBeGreaterThan(0);
    expect(routeMetadata(result).cost).toMatchObject({ savedDollars: 0, priceKnown: false });
    expect(result.trace.steps.find((step) => step.stage === 'ledger')?.reason).toMatch(/acme:no-such-model/);
  });

  it("decides by the ledger's pricing when the router is given none", async () => {
    const ledger = new CostLedger({
      pricing: createPricing({
        registry: false,
        overrides: {
          'acme:alpha': { inputPerMillion: 5, outputPerMillion: 5 },
          'acme:beta': { inputPerMillion: 1, outputPerMillion: 1 },
        },
      }),
    });
    const engine = createRouter({
      tiers: [
        { id: 'alpha', model: 'acme:alpha' },
        { id: 'beta', model: 'acme:beta' },
      ],
      policy: fixed('cheapest'),
      ledger,
    });
    expect(engine.tiers.map((tier) => tier.id)).toEqual(['beta', 'alpha']);
    const result = await engine.run(userRequest('hello'), scriptedTiers({ beta: textAnswer('hi') }));
    expect(result.cost.dollars).toBeCloseTo(150 / 1e6, 12);
    expect(ledger.entries()[0]?.spent.dollars).toBe(result.cost.dollars);
  });

  it('rejects a tier price that is not a non-negative rate', () => {
    expect(() =>
      createRouter({
        tiers: [
          { ...tuned, price: { inputPerMillion: 1, outputPerMillion: 1, cachedInputPerMillion: -1 } },
          negotiated,
        ],
        policy: fixed('cheapest'),
      }),
    ).toThrow(/cachedInputPerMillion/);
  });
});
