/**
 * Where a prior's training prompts lie, so it can tell a prompt it knows something about from one
 * it has never seen the like of: k-means centroids of the training vectors (unit embeddings, or
 * standardized lexical features), each cluster's radius (the distance 95% of its members fall
 * within), and the distance to the nearest centroid that 95% of training prompts fall within.
 */
export type PriorCoverage = {
  /** Vector length. */
  dimensions: number;
  /** k × dimensions, row-major, in the standardized space. */
  centroids: number[];
  /** Standardization applied before measuring (lexical features); absent for embeddings. */
  mean?: number[];
  scale?: number[];
  /** Without `radii`: a prompt farther than this from every centroid is outside the training data. */
  maxDistance: number;
  /** Per centroid: the distance its training members fall within (absent in older files). */
  radii?: number[];
  /**
   * Inside when the distance to some centroid is at most `threshold` × its radius (default 1). Set by
   * calibration on task families held out of the coverage: how tight it must be for an unseen family
   * to fall outside.
   */
  threshold?: number;
};

/**
 * How far a vector lies from the training data, in radii: the smallest distance to a centroid
 * divided by that cluster's radius (by `maxDistance` for files without radii). At most
 * `threshold` is inside. Infinity for a vector of another length.
 */
export function coverageRatio(coverage: PriorCoverage, vector: ArrayLike<number>): number {
  const { dimensions, centroids, radii } = coverage;
  if (vector.length !== dimensions) return Number.POSITIVE_INFINITY;
  if (!radii) return coverageDistance(coverage, vector) / (coverage.maxDistance || Number.MIN_VALUE);
  const point = standardize(coverage, vector);
  let best = Number.POSITIVE_INFINITY;
  for (let cluster = 0; cluster * dimensions < centroids.length; cluster++) {
    const distance = Math.sqrt(squaredDistanceAt(point, centroids, cluster * dimensions));
    best = Math.min(best, distance / ((radii[cluster] as number) || Number.MIN_VALUE));
  }
  return best;
}

/** Whether a vector lies within the coverage (its ratio at most the calibrated threshold). */
export function isCovered(coverage: PriorCoverage, vector: ArrayLike<number>): boolean {
  return coverageRatio(coverage, vector) <= (coverage.threshold ?? 1);
}

/** Euclidean distance from `vector` to the nearest centroid (after standardizing it). */
export function coverageDistance(coverage: PriorCoverage, vector: ArrayLike<number>): number {
  const { dimensions, centroids } = coverage;
  if (vector.length !== dimensions) return Number.POSITIVE_INFINITY;
  const point = standardize(coverage, vector);
  let best = Number.POSITIVE_INFINITY;
  for (let start = 0; start < centroids.length; start += dimensions) {
    let sum = 0;
    for (let index = 0; index < dimensions && sum < best; index++) {
      const difference = (point[index] as number) - (centroids[start + index] as number);
      sum += difference * difference;
    }
    if (sum < best) best = sum;
  }
  return Math.sqrt(best);
}

export function standardize(
  coverage: Pick<PriorCoverage, 'mean' | 'scale'>,
  vector: ArrayLike<number>,
): Float64Array {
  const point = Float64Array.from(vector as ArrayLike<number>);
  if (!coverage.mean || !coverage.scale) return point;
  for (let index = 0; index < point.length; index++) {
    point[index] = ((point[index] as number) - (coverage.mean[index] ?? 0)) / (coverage.scale[index] || 1);
  }
  return point;
}

export type CoverageFitOptions = {
  clusters?: number;
  /** Share of training prompts inside `maxDistance`. Default 0.95. */
  quantile?: number;
  standardizeFeatures?: boolean;
  random: () => number;
  iterations?: number;
};

/** Fits a coverage to training vectors: k-means++ seeding, Lloyd iterations, the quantile distance. */
export function fitCoverage(
  vectors: readonly ArrayLike<number>[],
  options: CoverageFitOptions,
): PriorCoverage {
  const dimensions = vectors[0]?.length ?? 0;
  const scaling = options.standardizeFeatures ? meanAndScale(vectors, dimensions) : {};
  const points = vectors.map((vector) => standardize(scaling, vector));
  const k = Math.min(options.clusters ?? 16, points.length);
  const centroids = seedCentroids(points, k, options.random);
  const assignment = new Int32Array(points.length);
  for (let iteration = 0; iteration < (options.iterations ?? 12); iteration++) {
    points.forEach((point, index) => {
      assignment[index] = nearest(centroids, point);
    });
    const sums = centroids.map(() => new Float64Array(dimensions));
    const counts = new Float64Array(k);
    points.forEach((point, index) => {
      const cluster = assignment[index] as number;
      counts[cluster] = (counts[cluster] as number) + 1;
      const sum = sums[cluster] as Float64Array;
      for (let column = 0; column < dimensions; column++)
        sum[column] = (sum[column] as number) + (point[column] as number);
    });
    sums.forEach((sum, cluster) => {
      const count = counts[cluster] as number;
      if (count > 0) centroids[cluster] = sum.map((value) => value / count);
    });
  }
  const coverage: PriorCoverage = {
    dimensions,
    centroids: centroids.flatMap((centroid) => Array.from(centroid, (value) => round(value))),
    maxDistance: 0,
    ...scaling,
  };
  points.forEach((point, index) => {
    assignment[index] = nearest(centroids, point);
  });
  const quantile = options.quantile ?? 0.95;
  const distances = points.map((point, index) =>
    Math.sqrt(squaredDistance(point, centroids[assignment[index] as number] as Float64Array)),
  );
  coverage.maxDistance = round(quantileOf(distances, quantile));
  coverage.radii = centroids.map((_, cluster) => {
    const members = distances.filter((_, index) => assignment[index] === cluster);
    // A cluster of a few prompts says little about its spread: it gets the global radius.
    return members.length < MIN_CLUSTER_MEMBERS ? coverage.maxDistance : round(quantileOf(members, quantile));
  });
  return coverage;
}

/** Clusters with fewer members than this take the global radius. */
const MIN_CLUSTER_MEMBERS = 10;

function quantileOf(values: number[], quantile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
}

function squaredDistanceAt(point: Float64Array, centroids: readonly number[], start: number): number {
  let sum = 0;
  for (let index = 0; index < point.length; index++)
    sum += ((point[index] as number) - (centroids[start + index] as number)) ** 2;
  return sum;
}

function meanAndScale(
  vectors: readonly ArrayLike<number>[],
  dimensions: number,
): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(dimensions).fill(0);
  const scale = new Array<number>(dimensions).fill(0);
  for (const vector of vectors) {
    for (let index = 0; index < dimensions; index++)
      mean[index] = (mean[index] as number) + (vector[index] as number) / vectors.length;
  }
  for (const vector of vectors) {
    for (let index = 0; index < dimensions; index++) {
      scale[index] =
        (scale[index] as number) +
        ((vector[index] as number) - (mean[index] as number)) ** 2 / vectors.length;
    }
  }
  return {
    mean: mean.map((value) => round(value)),
    scale: scale.map((value) => round(Math.sqrt(value) || 1)),
  };
}

function seedCentroids(points: readonly Float64Array[], k: number, random: () => number): Float64Array[] {
  const centroids = [Float64Array.from(points[Math.floor(random() * points.length)] as Float64Array)];
  const distances = points.map((point) => squaredDistance(point, centroids[0] as Float64Array));
  while (centroids.length < k) {
    const total = distances.reduce((sum, value) => sum + value, 0);
    let target = random() * total;
    let chosen = 0;
    while (chosen < points.length - 1 && target > (distances[chosen] as number))
      target -= distances[chosen++] as number;
    const centroid = Float64Array.from(points[chosen] as Float64Array);
    centroids.push(centroid);
    points.forEach((point, index) => {
      distances[index] = Math.min(distances[index] as number, squaredDistance(point, centroid));
    });
  }
  return centroids;
}

function nearest(centroids: readonly Float64Array[], point: Float64Array): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  centroids.forEach((centroid, index) => {
    const distance = squaredDistance(point, centroid);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index;
    }
  });
  return best;
}

function squaredDistance(left: ArrayLike<number>, right: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++)
    sum += ((left[index] as number) - (right[index] as number)) ** 2;
  return sum;
}

function round(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
