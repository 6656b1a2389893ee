import { describe, expect, it } from 'vitest';
import { ErrorRateController, wilsonUpper } from './error-rate-controller';

describe('ErrorRateController', () => {
  it('serves nothing before any candidate was verified', () => {
    const controller = new ErrorRateController({ target: 0.02 });
    expect(controller.threshold()).toBeUndefined();
    expect(controller.canServe(0.99)).toBe(false);
  });

  it('serves a score only once enough agreeing verifications at or above it bound the error under the target', () => {
    const controller = new ErrorRateController({ target: 0.02 });
    for (let index = 0; index < 50; index++) controller.record(0.95, true);
    // 50 clean observations cannot prove an error rate under 2% at 95% confidence.
    expect(controller.canServe(0.95)).toBe(false);
    for (let index = 0; index < 150; index++) controller.record(0.95, true);
    expect(controller.canServe(0.95)).toBe(true);
    // Nothing was learned about lower scores: they are not served.
    expect(controller.canServe(0.6)).toBe(false);
    expect(controller.threshold()).toMatchObject({ observations: 200, errorRate: 0 });
  });

  it('raises the threshold above scores whose answers disagreed', () => {
    const controller = new ErrorRateController({ target: 0.05 });
    for (let index = 0; index < 300; index++) controller.record(0.9, true);
    for (let index = 0; index < 100; index++) controller.record(0.6, index % 3 !== 0);
    expect(controller.canServe(0.9)).toBe(true);
    expect(controller.canServe(0.6)).toBe(false);
    const estimate = controller.threshold();
    expect(estimate?.errorRateBound).toBeLessThanOrEqual(0.05);
  });

  it('refuses a target outside (0, 1)', () => {
    expect(() => new ErrorRateController({ target: 0 })).toThrow(RangeError);
    expect(() => new ErrorRateController({ target: 1.5 })).toThrow(RangeError);
  });

  it('bounds a clean record by about 3/n and a noisy one above its rate', () => {
    expect(wilsonUpper(0, 150, 1.645)).toBeCloseTo(2.706 / (150 + 2.706), 3);
    expect(wilsonUpper(10, 100, 1.645)).toBeGreaterThan(0.1);
  });
});
