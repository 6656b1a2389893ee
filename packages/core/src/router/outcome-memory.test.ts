import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { HnswVectorIndex } from '../store/hnsw-vector-index';
import { createRouter } from './create-router';
import { InvalidRouterOptionsError } from './errors';
import { OutcomeMemory } from './outcome-memory';
import { classifierPrior } from './policies/classifier-prior';
import { contextualBandit } from './policies/contextual-bandit';
import { CHEAP, STRONG, userRequest } from './test-support/router-fixtures';

const embedder = new HashingEmbedder({ dimensions: 256 });
const embed = async (text: string) => (await embedder.embed([text]))[0] as Float32Array;

const ARITHMETIC = [
  'What is 17 plus 25 in total?',
  'What is 12 times 4 in total?',
  'What is 90 minus 45 in total?',
  'What is 8 plus 9 in total?',
];
const CONTRACT_LAW = [
  'Under contract law, is a promise without consideration enforceable by the promisee?',
  'Under contract law, does a counter-offer terminate the original offer to the offeree?',
  'Under contract law, can a minor void a contract for non-necessary goods?',
  'Under contract law, is silence ever acceptance of an offer by the offeree?',
];

/** Logs where the cheap tier got arithmetic right and contract law wrong; the strong one got both right. */
async function seededMemory(): Promise<OutcomeMemory> {
  const memory = new OutcomeMemory({ neighbours: 4, smoothing: 1 });
  for (const text of ARITHMETIC) {
    await memory.record(await embed(text), 'cheap', 1);
    await memory.record(await embed(text), 'strong', 1);
  }
  for (const text of CONTRACT_LAW) {
    await memory.record(await embed(text), 'cheap', 0);
    await memory.record(await embed(text), 'strong', 1);
  }
  return memory;
}

describe('OutcomeMemory', () => {
  it('estimates each tier from the most similar past requests', async () => {
    const memory = await seededMemory();
    const newArithmetic = await embed('What is 30 plus 12 in total?');
    const newLaw = await embed('Under contract law, is an advertisement an offer to the public?');
    expect((await memory.estimate('cheap', newArithmetic))!.quality).toBeGreaterThan(0.7);
    expect((await memory.estimate('cheap', newLaw))!.quality).toBeLessThan(0.3);
    expect((await memory.estimate('strong', newLaw))!.quality).toBe(1);
    const prior = memory.prior('cheap', 'strong');
    const features = (embedding: Float32Array) => ({
      text: '',
      lexical: new Float64Array(0),
      tokenCount: 10,
      embedding,
    });
    expect(await prior(features(newArithmetic))).toBeGreaterThan(0.7);
    expect(await prior(features(newLaw))).toBeLessThan(0.3);
  });

  it('routes new requests like the past ones that resemble them', async () => {
    const memory = await seededMemory();
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      embedder,
      policy: classifierPrior({ prior: memory.prior('cheap', 'strong'), threshold: 0.5 }),
    });
    const arithmetic = await engine.decide(userRequest('What is 14 times 3 in total?'));
    const law = await engine.decide(
      userRequest('Under contract law, is a promise to make a gift enforceable by the promisee?'),
    );
    expect(arithmetic.tier.id).toBe('cheap');
    expect(law.tier.id).toBe('strong');
  });

  it('trusts the cheap tier until both tiers have outcomes; without an embedding it uses the overall means', async () => {
    const memory = new OutcomeMemory();
    const prior = memory.prior('cheap', 'strong');
    const features = { text: '', lexical: new Float64Array(0), tokenCount: 10 };
    expect(await prior(features)).toBe(1);
    await memory.record(await embed(ARITHMETIC[0]!), 'cheap', 0.2);
    expect(await prior(features)).toBe(1);
    await memory.record(await embed(ARITHMETIC[0]!), 'strong', 0.9);
    expect(await prior(features)).toBeCloseTo(1 - 0.9 + 0.2, 10);
    expect(await memory.estimate('cheap', undefined)).toMatchObject({ quality: 0.2, neighbours: 0 });
  });

  it('learns live from user feedback through the wrapped policy', async () => {
    const memory = new OutcomeMemory({ neighbours: 3, smoothing: 1 });
    for (const text of CONTRACT_LAW) await memory.record(await embed(text), 'strong', 1);
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      embedder,
      policy: memory.learnFrom(classifierPrior({ prior: memory.prior('cheap', 'strong'), threshold: 0.5 })),
    });
    // Nothing known about the cheap tier yet: contract law goes to it, and the user rates it bad.
    const first = await engine.decide(userRequest(CONTRACT_LAW[0]!));
    expect(first.tier.id).toBe('cheap');
    await engine.feedback(first.traceId, 0);
    expect(memory.size('cheap')).toBe(1);
    const later = await engine.decide(userRequest(CONTRACT_LAW[1]!));
    expect(later.tier.id).toBe('strong');
  });

  it('keeps the wrapped policy learning: a bandit still receives its own outcomes', async () => {
    const memory = new OutcomeMemory();
    const bandit = contextualBandit({ algorithm: 'thompson' });
    const engine = createRouter({ tiers: [CHEAP, STRONG], embedder, policy: memory.learnFrom(bandit) });
    const decision = await engine.decide(userRequest(ARITHMETIC[0]!));
    await engine.feedback(decision.traceId, 1);
    const next = await engine.decide(userRequest(ARITHMETIC[1]!));
    const arm = engine.explain(next.traceId)?.arms?.find((estimate) => estimate.tierId === decision.tier.id);
    expect(arm?.observations).toBeGreaterThan(0);
    expect(memory.size(decision.tier.id)).toBe(1);
  });

  it('gives the same routes on an approximate index (usearch HNSW) as on the exact default', async () => {
    const exact = await seededMemory();
    const approximate = new OutcomeMemory({
      neighbours: 4,
      smoothing: 1,
      index: new HnswVectorIndex({ dtype: 'f32' }),
    });
    for (const text of ARITHMETIC) {
      await approximate.record(await embed(text), 'cheap', 1);
      await approximate.record(await embed(text), 'strong', 1);
    }
    for (const text of CONTRACT_LAW) {
      await approximate.record(await embed(text), 'cheap', 0);
      await approximate.record(await embed(text), 'strong', 1);
    }
    for (const text of [
      'What is 30 plus 12 in total?',
      'Under contract law, is an advertisement an offer?',
    ]) {
      const embedding = await embed(text);
      expect((await approximate.estimate('cheap', embedding))!.quality).toBeCloseTo(
        (await exact.estimate('cheap', embedding))!.quality,
        5,
      );
    }
  });

  it('forgets its oldest outcomes beyond capacity and rejects bad input', async () => {
    const memory = new OutcomeMemory({ capacity: 2 });
    const vector = await embed(ARITHMETIC[0]!);
    await memory.record(vector, 'cheap', 0);
    await memory.record(vector, 'cheap', 1);
    await memory.record(vector, 'cheap', 1);
    expect(memory.size('cheap')).toBe(2);
    expect((await memory.estimate('cheap', vector))!.neighbours).toBe(2);
    expect((await memory.estimate('cheap', undefined))!.quality).toBe(1);
    await expect(memory.record(vector, 'cheap', 2)).rejects.toThrow(InvalidRouterOptionsError);
    await expect(memory.record(new Float32Array(3), 'cheap', 1)).rejects.toThrow(/dimensions/);
    expect(() => new OutcomeMemory({ neighbours: 0 })).toThrow(InvalidRouterOptionsError);
  });
});
