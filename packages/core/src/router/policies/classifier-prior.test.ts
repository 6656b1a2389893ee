import { describe, expect, it } from 'vitest';
import { createRouter } from '../create-router';
import { InvalidRouterOptionsError } from '../errors';
import { CHEAP, MIDDLE, STRONG, userRequest } from '../test-support/router-fixtures';
import type { RoutePrior } from '../types';
import { classifierPrior } from './classifier-prior';
import { thresholdForQuality, thresholdForStrongShare } from './prior-threshold';

/** The request's text is its prior, e.g. "0.35". */
const textPrior: RoutePrior = (features) => Number(features.text);

async function strongShare(policy: ReturnType<typeof classifierPrior>, priors: number[]): Promise<number> {
  const engine = createRouter({ tiers: [CHEAP, STRONG], policy });
  let strong = 0;
  for (const prior of priors)
    if ((await engine.decide(userRequest(String(prior)))).tier.id === 'strong') strong++;
  return strong / priors.length;
}

const spread = Array.from({ length: 200 }, (_, index) => ((index * 37) % 200) / 200);

describe('thresholds', () => {
  it('thresholdForStrongShare sends that share of the priors strong', () => {
    const alpha = thresholdForStrongShare(spread, 0.25);
    expect(spread.filter((prior) => prior < alpha).length).toBe(50);
    expect(thresholdForStrongShare(spread, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(thresholdForStrongShare(spread, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('thresholdForQuality finds the fewest strong calls that reach the target', () => {
    // Priors 0.2 x2 and 0.9 x2: all cheap 0.55; two lowest strong (quality 1) -> 0.95.
    const priors = [0.9, 0.2, 0.9, 0.2];
    expect(thresholdForQuality(priors, 0.5)).toBe(0.2);
    expect(thresholdForQuality(priors, 0.9)).toBe(0.9);
    expect(thresholdForQuality(priors, 0.99)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('classifierPrior', () => {
  it('takes a loaded prior object (what loadRouterPrior returns) as well as its function', async () => {
    const asObject = classifierPrior({ prior: { prior: textPrior }, threshold: 0.5 });
    const asFunction = classifierPrior({ prior: textPrior, threshold: 0.5 });
    const priors = [0.2, 0.7, 0.4, 0.9];
    expect(await strongShare(asObject, priors)).toBe(0.5);
    expect(await strongShare(asObject, priors)).toBe(await strongShare(asFunction, priors));
  });

  it("keeps a prompt outside the prior's coverage on the strongest tier, whatever its neutral prior says", async () => {
    // A prior that reports 0.9 (cheap tier) for everything, but knows only prompts below "0.5".
    const source = {
      prior: () => 0.9,
      coverage: (features: { text: string }) => ({ covered: Number(features.text) < 0.5 }),
    };
    const engine = createRouter({
      tiers: [CHEAP, STRONG],
      policy: classifierPrior({ prior: source, threshold: 0.5 }),
    });
    const inside = await engine.decide(userRequest('0.2'));
    const outside = await engine.decide(userRequest('0.8'));
    expect(inside.tier.id).toBe('cheap');
    expect(outside.tier.id).toBe('strong');
    expect(outside.reason).toBe('prior-out-of-coverage');
    // Given only the function (as `loadRouterPrior().prior` carries its check), the same holds.
    const fn = Object.assign(() => 0.9, { coverage: source.coverage });
    const byFunction = createRouter({
      tiers: [CHEAP, STRONG],
      policy: classifierPrior({ prior: fn, threshold: 0.5 }),
    });
    expect((await byFunction.decide(userRequest('0.8'))).tier.id).toBe('strong');
    expect((await byFunction.decide(userRequest('0.2'))).tier.id).toBe('cheap');
  });

  it('refuses a prior that is neither a function nor carries one', () => {
    expect(() => classifierPrior({ prior: {} as never })).toThrow(InvalidRouterOptionsError);
  });

  it('sends the target share of requests strong once it has seen enough priors', async () => {
    const share = await strongShare(
      classifierPrior({ prior: textPrior, targetStrongShare: 0.3, minObservations: 20 }),
      [...spread, ...spread],
    );
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('uses calibration priors from the first request', async () => {
    const policy = classifierPrior({ prior: textPrior, targetStrongShare: 0.5, calibrationPriors: spread });
    expect(policy.currentThreshold()).toBe(0.5);
    expect(await strongShare(policy, [0.49, 0.51])).toBe(0.5);
  });

  it('meets a target quality with fewer strong calls than needed for a stricter one', async () => {
    const loose = await strongShare(classifierPrior({ prior: textPrior, targetQuality: 0.6 }), spread);
    const strict = await strongShare(classifierPrior({ prior: textPrior, targetQuality: 0.9 }), spread);
    expect(strict).toBeGreaterThan(loose);
  });

  it('maps priors to three tiers with one threshold per tier', async () => {
    const engine = createRouter({
      tiers: [CHEAP, MIDDLE, STRONG],
      policy: classifierPrior({ prior: textPrior, threshold: [0.8, 0.4] }),
    });
    const route = async (prior: number) => (await engine.decide(userRequest(String(prior)))).tier.id;
    expect([await route(0.9), await route(0.5), await route(0.1)]).toEqual(['cheap', 'middle', 'strong']);
  });

  it('rejects a missing prior', () => {
    expect(() => classifierPrior({} as never)).toThrow(InvalidRouterOptionsError);
  });
});
