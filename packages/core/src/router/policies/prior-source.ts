import type { RouteFeatures, RoutePrior } from '../types';

/**
 * Where a policy gets its prior: the function itself, or anything that carries one as `prior`
 * — such as the `RouterPrior` that `loadRouterPrior()` returns, so
 * `classifierPrior({ prior: await loadRouterPrior() })` works as written.
 */
export type PriorSource =
  | RoutePrior
  | { readonly prior: RoutePrior; coverage?(features: RouteFeatures): { covered: boolean } | undefined };

/** The prior function of a source, or undefined when it has none. */
export function priorFunction(source: PriorSource | undefined): RoutePrior | undefined {
  if (typeof source === 'function') return source;
  if (typeof source === 'object' && source !== null && typeof source.prior === 'function')
    return source.prior;
  return undefined;
}

/**
 * Whether a request lies outside the prior's training data, when the source can tell (a
 * `RouterPrior` from `loadRouterPrior()` and its `prior` function can; any other function cannot,
 * and counts as covered).
 */
export function outsidePriorCoverage(source: PriorSource | undefined, features: RouteFeatures): boolean {
  // The loaded prior's function carries its coverage check too, so `{ prior: loaded.prior }` keeps it.
  const holder = (typeof source === 'object' && source !== null ? source : { prior: source }) as {
    prior?: unknown;
    coverage?: CoverageCheck;
  };
  const check = holder.coverage ?? (holder.prior as { coverage?: CoverageCheck } | undefined)?.coverage;
  return typeof check === 'function' && check(features)?.covered === false;
}

type CoverageCheck = (features: RouteFeatures) => { covered: boolean } | undefined;
