import { InvalidRouterOptionsError } from '../errors';
import type { PolicyChoice, PolicyContext, RoutePolicy } from '../types';
import { outsidePriorCoverage, type PriorSource, priorFunction } from './prior-source';
import { thresholdForQuality, thresholdForStrongShare } from './prior-threshold';

export type ClassifierPriorOptions = {
  /** The prior function, or a `RouterPrior` from `loadRouterPrior()` (its `prior` is used). */
  prior: PriorSource;
  /**
   * α: a prior at or above it goes to the cheapest tier, below it to the most expensive. With more
   * than two tiers, give one threshold per tier but the last, highest first: the first tier whose
   * threshold the prior reaches is chosen. Default 0.5 (unless a target is given).
   */
  threshold?: number | number[];
  /** Set α so this share of requests goes to the most expensive tier (quantile of observed priors). */
  targetStrongShare?: number;
  /** Set α to the fewest strong calls whose expected quality (priors taken as probabilities) reaches this. */
  targetQuality?: number;
  /** Quality assumed for the most expensive tier with `targetQuality`. Default 1. */
  strongQuality?: number;
  /** Priors from held-out requests, so a target-based α is right from the first request. */
  calibrationPriors?: number[];
  /** Observed priors kept for a target-based α. Default 1,000. */
  window?: number;
  /** Priors needed before a target-based α replaces `threshold`. Default 20. */
  minObservations?: number;
};

/**
 * Routes on the classifier prior alone (RouteLLM-style): the probability that the cheapest tier
 * is good enough, against a threshold α that is fixed or follows a target share of strong calls
 * or a target quality over the priors it has seen.
 */
export function classifierPrior(
  options: ClassifierPriorOptions,
): RoutePolicy & { currentThreshold(): number } {
  const priorOf = priorFunction(options.prior);
  if (!priorOf) throw new InvalidRouterOptionsError('classifierPrior needs a prior');
  const fixedThresholds = Array.isArray(options.threshold)
    ? [...options.threshold]
    : [options.threshold ?? 0.5];
  const target = options.targetStrongShare ?? options.targetQuality;
  if (
    options.targetStrongShare !== undefined &&
    !(options.targetStrongShare >= 0 && options.targetStrongShare <= 1)
  ) {
    throw new InvalidRouterOptionsError('targetStrongShare must be within 0..1');
  }
  const window = Math.max(1, Math.floor(options.window ?? 1_000));
  const minObservations = options.minObservations ?? 20;
  const observed = new Float64Array(window);
  let observedCount = 0;
  let next = 0;
  let adaptive: number | undefined;
  let sinceRecompute = 0;
  for (const prior of options.calibrationPriors ?? []) remember(prior);
  if (target !== undefined && options.calibrationPriors && options.calibrationPriors.length > 0) recompute();

  function remember(prior: number): void {
    observed[next] = prior;
    next = (next + 1) % window;
    observedCount = Math.min(window, observedCount + 1);
  }

  function recompute(): void {
    const priors = observed.subarray(0, observedCount);
    adaptive =
      options.targetStrongShare !== undefined
        ? thresholdForStrongShare(priors, options.targetStrongShare)
        : thresholdForQuality(priors, options.targetQuality as number, options.strongQuality ?? 1);
    sinceRecompute = 0;
  }

  function currentThreshold(): number {
    return adaptive ?? (fixedThresholds[0] as number);
  }

  return {
    name: 'classifier',
    currentThreshold,
    async decide(context: PolicyContext): Promise<PolicyChoice> {
      const prior = await context.evaluatePrior(priorOf);
      if (target !== undefined) {
        remember(prior);
        sinceRecompute++;
        // Sorting the window on every request would cost more than the rest of the decision.
        if (observedCount >= minObservations && (adaptive === undefined || sinceRecompute >= 32)) recompute();
      }
      const last = context.tiers.length - 1;
      let tierIndex = last;
      let threshold: number;
      if (adaptive !== undefined || fixedThresholds.length === 1) {
        threshold = currentThreshold();
        if (prior >= threshold) tierIndex = 0;
      } else {
        threshold = fixedThresholds[fixedThresholds.length - 1] as number;
        for (let index = 0; index < Math.min(fixedThresholds.length, last); index++) {
          if (prior >= (fixedThresholds[index] as number)) {
            tierIndex = index;
            threshold = fixedThresholds[index] as number;
            break;
          }
        }
      }
      // A prompt unlike the prior's training data: its (neutral) prior is no evidence, so the call
      // stays on the most capable tier, as it would without a router.
      const uncovered = outsidePriorCoverage(options.prior, context.features);
      if (uncovered) tierIndex = last;
      const choice: PolicyChoice = {
        tierIndex,
        reason: uncovered
          ? 'prior-out-of-coverage'
          : tierIndex === last
            ? 'prior-below-threshold'
            : 'prior-at-or-above-threshold',
        prior,
        threshold,
      };
      if (target !== undefined)
        choice.details = { observedPriors: observedCount, adaptive: adaptive !== undefined };
      return choice;
    },
  };
}
