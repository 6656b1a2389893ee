/**
 * The threshold α that sends a given share of requests to the strong tier: requests whose prior
 * (probability the cheap tier is good enough) falls below α go strong. `priors` are observed or
 * held-out priors; the share is met on them.
 */
export function thresholdForStrongShare(priors: ArrayLike<number>, strongShare: number): number {
  if (!(strongShare >= 0 && strongShare <= 1)) throw new RangeError('strongShare must be within 0..1');
  const sorted = sortedCopy(priors);
  if (sorted.length === 0 || strongShare <= 0) return Number.NEGATIVE_INFINITY;
  const strongCount = Math.round(strongShare * sorted.length);
  if (strongCount >= sorted.length) return Number.POSITIVE_INFINITY;
  return sorted[strongCount] as number;
}

/**
 * The threshold α with the fewest strong calls whose expected quality reaches `targetQuality`,
 * taking the priors as calibrated probabilities: a request sent cheap is good with probability p,
 * one sent strong with `strongQuality`. Infinity (all strong) when even that falls short.
 */
export function thresholdForQuality(
  priors: ArrayLike<number>,
  targetQuality: number,
  strongQuality = 1,
): number {
  const sorted = sortedCopy(priors);
  const count = sorted.length;
  if (count === 0) return Number.NEGATIVE_INFINITY;
  let cheapSum = 0;
  for (let index = 0; index < count; index++) cheapSum += sorted[index] as number;
  // Send the lowest priors strong one by one until the expected quality reaches the target.
  for (let strongCount = 0; strongCount <= count; strongCount++) {
    const quality = (strongCount * strongQuality + cheapSum) / count;
    if (quality >= targetQuality) {
      return strongCount === count ? Number.POSITIVE_INFINITY : (sorted[strongCount] as number);
    }
    if (strongCount < count) cheapSum -= sorted[strongCount] as number;
  }
  return Number.POSITIVE_INFINITY;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values).filter((value) => Number.isFinite(value));
  sorted.sort();
  return sorted;
}
