import { describe, expect, it } from 'vitest';
import { createRouter } from './create-router';
import { fixed } from './policies/baseline-policies';
import { decideShadowRoute, shadowRouteStep } from './shadow-route';
import { CHEAP, STRONG, userRequest } from './test-support/router-fixtures';

describe('decideShadowRoute', () => {
  it('reports the tier the router would choose, without calling one', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('strong') });
    const route = await decideShadowRoute(engine, () =>
      userRequest('Prove that there are infinitely many primes.'),
    );
    expect(route).toMatchObject({ tier: 'strong', model: STRONG.model });
    expect(shadowRouteStep(route!)).toMatchObject({
      stage: 'router',
      decision: 'shadow',
      details: { tier: 'strong' },
    });
  });

  it('is no decision, not a failed call, when the request cannot be built or the router fails', async () => {
    const engine = createRouter({ tiers: [CHEAP, STRONG], policy: fixed('strong') });
    const unconvertible = () => {
      throw new Error('unsupported message part');
    };
    expect(await decideShadowRoute(engine, unconvertible)).toBeUndefined();
    const failing = { ...engine, decide: () => Promise.reject(new Error('router down')) };
    expect(await decideShadowRoute(failing, () => userRequest('Hi'))).toBeUndefined();
  });
});
