import type { RoutePrior } from '../types';

/**
 * Where a policy gets its prior: the function itself, or anything that carries one as `prior`
 * — such as the `RouterPrior` that `loadRouterPrior()` returns, so
 * `classifierPrior({ prior: await loadRouterPrior() })` works as written.
 */
export type PriorSource = RoutePrior | { readonly prior: RoutePrior };

/** The prior function of a source, or undefined when it has none. */
export function priorFunction(source: PriorSource | undefined): RoutePrior | undefined {
  if (typeof source === 'function') return source;
  if (typeof source === 'object' && source !== null && typeof source.prior === 'function')
    return source.prior;
  return undefined;
}
