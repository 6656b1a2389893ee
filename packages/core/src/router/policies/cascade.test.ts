import { describe, expect, it } from 'vitest';
import { CostLedger } from '../../ledger/cost-ledger';
import { createPricing } from '../../pricing/create-pricing';
import { createRouter } from '../create-router';
import { heuristicScorers } from '../scorers/heuristic-scorers';
import { structuredOutputScorer } from '../scorers/structured-output-scorer';
import {
  CHEAP,
  MIDDLE,
  STRONG,
  scriptedTiers,
  TEST_PRICE_OVERRIDES,
  textAnswer,
  userRequest,
} from '../test-support/router-fixtures';
import { cascade } from './cascade';

const personSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};

function jsonRequest() {
  return userRequest('Return the person as JSON', {
    settings: { responseFormat: { type: 'json', schema: personSchema } },
  });
}

function router(policy = cascade({ scorers: [...heuristicScorers(), structuredOutputScorer()] })) {
  const ledger = new CostLedger({
    pricing: createPricing({ overrides: TEST_PRICE_OVERRIDES, registry: false }),
  });
  return { ledger, engine: createRouter({ tiers: [STRONG, CHEAP], policy, ledger, seed: 1 }) };
}

describe('cascade', () => {
  it('accepts a valid cheap answer without calling the strong tier', async () => {
    const { engine, ledger } = router();
    const callTier = scriptedTiers({
      cheap: textAnswer('{"name":"Ada","age":36}'),
      strong: textAnswer('{}'),
    });
    const result = await engine.run(jsonRequest(), callTier);
    expect(result.tier.id).toBe('cheap');
    expect(callTier.calls.map((call) => call.tierId)).toEqual(['cheap']);
    expect(ledger.entries()[0]?.spent.calls).toBeUndefined();
  });

  it('escalates on invalid JSON, says why in the trace, and charges both calls', async () => {
    const { engine, ledger } = router();
    const callTier = scriptedTiers({
      cheap: textAnswer('Sure! {"name": "Ada", age: 36'),
      strong: textAnswer('{"name":"Ada","age":36}', { usage: { inputTokens: 100, outputTokens: 20 } }),
    });
    const result = await engine.run(jsonRequest(), callTier);
    expect(result.tier.id).toBe('strong');
    expect(callTier.calls.map((call) => call.tierId)).toEqual(['cheap', 'strong']);
    const escalation = result.trace.steps.find(
      (step) => step.stage === 'cascade' && step.decision === 'escalate',
    );
    expect(escalation?.reason).toContain('invalid JSON');
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['escalated', 'accepted']);

    const record = ledger.entries()[0];
    expect(record?.spent.calls?.map((call) => call.model)).toEqual(['test:strong-model', 'test:cheap-model']);
    // cheap: 100 in + 50 out; strong: 100 in + 20 out.
    const cheapDollars = (100 * 0.15 + 50 * 0.6) / 1e6;
    const strongDollars = (100 * 2.5 + 20 * 10) / 1e6;
    expect(record?.spent.dollars).toBeCloseTo(cheapDollars + strongDollars, 12);
    expect(result.cost.dollars).toBeCloseTo(cheapDollars + strongDollars, 12);
    expect(record?.saved.dollars).toBeLessThan(0);
  });

  it('escalates on JSON that does not match the schema', async () => {
    const { engine } = router();
    const callTier = scriptedTiers({
      cheap: textAnswer('{"name":"Ada"}'),
      strong: textAnswer('{"name":"Ada","age":36}'),
    });
    const result = await engine.run(jsonRequest(), callTier);
    expect(result.tier.id).toBe('strong');
    expect(result.attempts[0]?.reason).toContain("missing required property 'age'");
  });

  it('escalates on a refusal', async () => {
    const { engine, ledger } = router();
    const callTier = scriptedTiers({
      cheap: textAnswer("I'm sorry, but I can't help with that request."),
      strong: textAnswer('Here is how photosynthesis works: ...'),
    });
    const result = await engine.run(userRequest('Explain photosynthesis'), callTier);
    expect(result.tier.id).toBe('strong');
    expect(result.attempts[0]?.scores?.find((score) => score.scorer === 'refusal')?.score).toBe(0);
    expect(ledger.entries()[0]?.spent.calls).toHaveLength(2);
  });

  it('goes through every tier in order when each one fails its check', async () => {
    const { ledger } = router();
    const engine = createRouter({
      tiers: [CHEAP, STRONG, MIDDLE],
      policy: cascade({ scorers: heuristicScorers() }),
      ledger,
    });
    const callTier = scriptedTiers({
      cheap: textAnswer(''),
      middle: textAnswer('I do not know. I am not sure.'),
      strong: textAnswer('42'),
    });
    const result = await engine.run(userRequest('What is six times seven?'), callTier);
    expect(callTier.calls.map((call) => call.tierId)).toEqual(['cheap', 'middle', 'strong']);
    expect(result.answer.content).toEqual([{ type: 'text', text: '42' }]);
    expect(ledger.entries()[0]?.spent.calls).toHaveLength(3);
  });

  it('skips straight to the strong tier when the prior says the cheap one will fail', async () => {
    const { engine } = router(cascade({ scorers: heuristicScorers(), prior: () => 0.1, skipBelow: 0.3 }));
    const callTier = scriptedTiers({ cheap: textAnswer('cheap'), strong: textAnswer('strong') });
    const result = await engine.run(userRequest('Prove the Riemann hypothesis'), callTier);
    expect(callTier.calls.map((call) => call.tierId)).toEqual(['strong']);
    expect(result.decision.reason).toBe('prior-says-cheap-fails');
    expect(result.decision.prior).toBe(0.1);
  });

  it('returns the rejected cheap answer, marked as such, when the tier it escalated to fails', async () => {
    const { engine, ledger } = router();
    const callTier = scriptedTiers({
      cheap: textAnswer("I'm not sure. I don't know."),
      strong: new Error('overloaded'),
    });
    const result = await engine.run(userRequest('Say something'), callTier);
    expect(result.tier.id).toBe('cheap');
    // 'overloaded' is transient: the strong tier is retried once before the cascade gives up on it.
    expect(result.attempts.map((attempt) => [attempt.tierId, attempt.outcome])).toEqual([
      ['cheap', 'accepted'],
      ['strong', 'failed'],
      ['strong', 'failed'],
    ]);
    expect(result.trace.steps.map((step) => step.decision)).toContain('accept-no-stronger-tier');
    expect(ledger.entries()[0]?.spent.calls).toBeUndefined();
  });
});
