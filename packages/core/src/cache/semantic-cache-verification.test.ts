import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../embedder/hashing-embedder';
import { CostLedger } from '../ledger/cost-ledger';
import { createPricing } from '../pricing/create-pricing';
import { chatRequest, textAnswer } from '../test-utils/cache-fixtures';
import { SemanticCache } from './semantic-cache';
import type { CacheLookup, PairVerifier, SemanticCacheOptions } from './types';

/** A verifier that gives every pair the same score, so the tests control what the learner sees. */
function fixedVerifier(score: number): PairVerifier {
  return { id: 'fixed', threshold: 0.5, score: async (pairs) => pairs.map(() => score) };
}

function newCache(options: SemanticCacheOptions) {
  return new SemanticCache({
    embedder: new HashingEmbedder(),
    threshold: 0.5,
    onWarning: () => {},
    ...options,
  });
}

/** One round of a user's traffic: store `stored`, ask `asked`; on a miss the "model" answers `fresh`. */
async function round(cache: SemanticCache, index: number, fresh: string): Promise<CacheLookup> {
  const scope = { tenant: `t${index}` };
  await cache.store(chatRequest('What is the capital city of France?', { scope }), textAnswer('Paris.'));
  const asked = chatRequest('what is the capital city of france, please', { scope });
  const lookup = await cache.lookup(asked);
  if (lookup.status === 'miss') await cache.store(asked, textAnswer(fresh), { pending: lookup.pending });
  return lookup;
}

describe('SemanticCache with maxErrorRate', () => {
  it('sends candidates to the model until agreeing answers prove the error bound, then serves them', async () => {
    const cache = newCache({
      verifier: fixedVerifier(0.9),
      maxErrorRate: 0.02,
      verification: { exploreRate: 0 },
    });
    const first = await round(cache, 0, 'Paris.');
    expect(first.status).toBe('miss');
    expect(first.trace.decision).toBe('verify');
    let served = 0;
    for (let index = 1; index < 260; index++)
      if ((await round(cache, index, 'Paris.')).status === 'hit') served++;
    expect(served).toBeGreaterThan(50);
    const stats = cache.verificationStats();
    expect(stats).toMatchObject({ targetErrorRate: 0.02, disagreements: 0, candidates: 260 });
    expect(stats?.hitRate).toBeCloseTo(served / 260, 6);
    // At 95% confidence, a 2% bound takes about 130 clean verifications before the first hit.
    expect(stats?.verificationCalls).toBeGreaterThanOrEqual(120);
    expect(stats?.errorRateBound).toBeLessThanOrEqual(0.02);
  });

  it('never serves while cached answers keep disagreeing with fresh ones', async () => {
    const cache = newCache({
      verifier: fixedVerifier(0.9),
      maxErrorRate: 0.02,
      verification: { exploreRate: 0 },
    });
    let served = 0;
    for (let index = 0; index < 200; index++) {
      // One answer in five disagrees: a 20% error rate is far above the 2% target.
      if ((await round(cache, index, index % 5 === 0 ? 'Lyon.' : 'Paris.')).status === 'hit') served++;
    }
    expect(served).toBe(0);
    expect(cache.verificationStats()?.disagreements).toBe(40);
  });

  it('stops serving an entry by similarity once its answer disagreed with a fresh one', async () => {
    const cache = newCache({ verifier: fixedVerifier(0.9), shadow: true });
    const scope = { tenant: 'one' };
    await cache.store(chatRequest('What is the capital city of France?', { scope }), textAnswer('Paris.'));
    const asked = chatRequest('what is the capital city of france, please', { scope });
    const lookup = await cache.lookup(asked);
    expect(lookup.status).toBe('miss');
    if (lookup.status !== 'miss') return;
    const disputedKey = lookup.pending?.verification?.key;
    expect(disputedKey).toBeDefined();
    await cache.store(asked, textAnswer('Lyon.'), { pending: lookup.pending });
    const again = await cache.lookup(chatRequest('Tell me the capital city of France', { scope }));
    expect(again.status).toBe('miss');
    // The candidate now is the fresh answer's entry, never the one that disagreed.
    expect(again.status === 'miss' && again.pending?.verification?.key).toBeTruthy();
    expect(again.status === 'miss' && again.pending?.verification?.key).not.toBe(disputedKey);
  });
});

describe('SemanticCache in shadow mode', () => {
  it('serves nothing, calls the model for every would-be hit, and reports how often it would have been wrong', async () => {
    const pricing = createPricing({
      registry: false,
      overrides: { 'openai:gpt-4o-mini': { inputPerMillion: 1, outputPerMillion: 2 } },
    });
    const ledger = new CostLedger({ pricing });
    const cache = newCache({ verifier: fixedVerifier(0.9), shadow: true, verification: { ledger } });
    const results: CacheLookup[] = [];
    for (let index = 0; index < 10; index++)
      results.push(await round(cache, index, index < 3 ? 'Lyon.' : 'Paris.'));
    expect(results.every((result) => result.status === 'miss')).toBe(true);
    // The exact repeat of a stored request is not served either.
    const exact = await cache.lookup(
      chatRequest('What is the capital city of France?', { scope: { tenant: 't0' } }),
    );
    expect(exact).toMatchObject({ status: 'miss', trace: { decision: 'verify' } });
    expect(cache.verificationStats()).toMatchObject({
      shadow: true,
      verificationCalls: 10,
      wouldHaveServed: { semantic: 10, exact: 0, wrong: 3 },
      servedHits: 0,
    });
    expect(ledger.totals()).toMatchObject({ calls: 10, saved: { dollars: 0 } });
  });
});

describe('SemanticCache without maxErrorRate or shadow', () => {
  it('keeps its fixed thresholds and never asks for verification', async () => {
    const cache = newCache({ verifier: fixedVerifier(0.9) });
    expect((await round(cache, 0, 'Paris.')).status).toBe('hit');
    expect(cache.verificationStats()).toBeUndefined();
  });
});
