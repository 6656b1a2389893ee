/** A point of a policy's trade-off: share of requests sent to the strong model, mean correctness, total dollars. */
export type CurvePoint = { strongShare: number; quality: number; cost: number };

/** An outcome pair for one request, with the policy's scores for it. */
export type RoutingItem = {
  /** The request goes to the strong model when the threshold is above this (low = escalate first). */
  accept: number;
  /**
   * The weak call is skipped for an escalated request when the threshold is above this: -Infinity for
   * a router (never calls the weak model for an escalated request), +Infinity for a cascade (always
   * calls it first), the prior's score for a cascade that skips ahead when the prior expects failure.
   */
  skip: number;
  weak: { correct: number; cost: number };
  strong: { correct: number; cost: number };
};

/**
 * The policy's whole trade-off curve, one point per distinct threshold, from nothing escalated to
 * everything escalated. Requests with equal scores move together; straight lines between points are
 * what a random tie-break gives on average.
 */
export function routingCurve(items: readonly RoutingItem[]): CurvePoint[] {
  const n = items.length;
  if (n === 0) return [];
  const byAccept = items.map((_, index) => index).sort((a, b) => items[a]!.accept - items[b]!.accept);
  const bySkip = items.map((_, index) => index).sort((a, b) => items[a]!.skip - items[b]!.skip);
  const escalated = new Uint8Array(n);
  const skipped = new Uint8Array(n);
  let correct = items.reduce((sum, item) => sum + item.weak.correct, 0);
  let cost = items.reduce((sum, item) => sum + item.weak.cost, 0);
  let escalations = 0;
  const points: CurvePoint[] = [{ strongShare: 0, quality: correct / n, cost }];
  let acceptCursor = 0;
  let skipCursor = 0;
  while (acceptCursor < n) {
    const threshold = items[byAccept[acceptCursor]!]!.accept;
    // Everything with a score at or below this threshold moves at once (threshold just above it).
    while (acceptCursor < n && items[byAccept[acceptCursor]!]!.accept <= threshold) {
      const index = byAccept[acceptCursor++]!;
      const item = items[index]!;
      escalated[index] = 1;
      escalations++;
      correct += item.strong.correct - item.weak.correct;
      cost += item.strong.cost;
      if (skipped[index]) cost -= item.weak.cost;
    }
    while (skipCursor < n && items[bySkip[skipCursor]!]!.skip <= threshold) {
      const index = bySkip[skipCursor++]!;
      skipped[index] = 1;
      if (escalated[index]) cost -= items[index]!.weak.cost;
    }
    points.push({ strongShare: escalations / n, quality: correct / n, cost });
  }
  return points;
}

/** Performance gap recovered: 0 at the weak model's quality, 1 at the strong model's. */
export function performanceGapRecovered(quality: number, weakQuality: number, strongQuality: number): number {
  const gap = strongQuality - weakQuality;
  return gap === 0 ? 0 : (quality - weakQuality) / gap;
}

/** Average PGR: the area under PGR against the strong-call share (trapezoids between curve points). */
export function averageGapRecovered(
  curve: readonly CurvePoint[],
  weakQuality: number,
  strongQuality: number,
): number {
  let area = 0;
  for (let index = 1; index < curve.length; index++) {
    const left = curve[index - 1]!;
    const right = curve[index]!;
    const width = right.strongShare - left.strongShare;
    area +=
      (width *
        (performanceGapRecovered(left.quality, weakQuality, strongQuality) +
          performanceGapRecovered(right.quality, weakQuality, strongQuality))) /
      2;
  }
  return area;
}

/**
 * Call-performance threshold CPT(x): the smallest strong-call share at which PGR reaches `target`
 * (interpolated between curve points), or null when the curve never reaches it.
 */
export function callPerformanceThreshold(
  curve: readonly CurvePoint[],
  weakQuality: number,
  strongQuality: number,
  target: number,
): number | null {
  const gap = (point: CurvePoint) => performanceGapRecovered(point.quality, weakQuality, strongQuality);
  const crossing = findCrossing(curve, (point) => gap(point) >= target - 1e-12);
  if (!crossing) return null;
  const { previous, point } = crossing;
  if (!previous) return point.strongShare;
  const fraction = (target - gap(previous)) / (gap(point) - gap(previous));
  return previous.strongShare + fraction * (point.strongShare - previous.strongShare);
}

/**
 * Dollars at the first point where the curve reaches `quality` (interpolated), as a share of
 * `referenceCost` (always-strong's dollars); null when the curve never reaches that quality.
 */
export function costShareAtQuality(
  curve: readonly CurvePoint[],
  quality: number,
  referenceCost: number,
): number | null {
  const crossing = findCrossing(curve, (point) => point.quality >= quality - 1e-12);
  if (!crossing || referenceCost <= 0) return null;
  const { previous, point } = crossing;
  if (!previous) return point.cost / referenceCost;
  const fraction = (quality - previous.quality) / (point.quality - previous.quality);
  return (previous.cost + fraction * (point.cost - previous.cost)) / referenceCost;
}

/** The curve at evenly spaced strong-call shares (for JSON and plots): 0, 1/steps, ..., 1. */
export function sampleCurve(curve: readonly CurvePoint[], steps = 20): CurvePoint[] {
  if (curve.length === 0) return [];
  return Array.from({ length: steps + 1 }, (_, step) => {
    const share = step / steps;
    let right = curve.findIndex((point) => point.strongShare >= share - 1e-12);
    if (right < 0) right = curve.length - 1;
    const point = curve[right]!;
    const previous = curve[right - 1];
    if (!previous || point.strongShare === previous.strongShare || point.strongShare <= share) {
      return { strongShare: share, quality: point.quality, cost: point.cost };
    }
    const fraction = (share - previous.strongShare) / (point.strongShare - previous.strongShare);
    return {
      strongShare: share,
      quality: previous.quality + fraction * (point.quality - previous.quality),
      cost: previous.cost + fraction * (point.cost - previous.cost),
    };
  });
}

function findCrossing(
  curve: readonly CurvePoint[],
  reached: (point: CurvePoint) => boolean,
): { previous: CurvePoint | undefined; point: CurvePoint } | undefined {
  const index = curve.findIndex(reached);
  if (index < 0) return undefined;
  return { previous: index > 0 ? curve[index - 1] : undefined, point: curve[index]! };
}
