/**
 * Where a prior's training prompts lie, so it can tell a prompt it knows something about from one
 * it has never seen the like of: k-means centroids of the training vectors (unit embeddings, or
 * standardized lexical features), and the distance to the nearest centroid that 95% of training
 * prompts fall within.
 */
export type PriorCoverage = {
  /** Vector length. */
  dimensions: number;
  /** k × dimensions, row-major, in the standardized space. */
  centroids: number[];
  /** Standardization applied before measuring (lexical features); absent for embeddings. */
  mean?: number[];
  scale?: number[];
  /** A prompt farther than this from every centroid is outside the training data. */
  maxDistance: number;
};

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
  const distances = vectors.map((vector) => coverageDistance(coverage, vector)).sort((a, b) => a - b);
  const quantile = options.quantile ?? 0.95;
  coverage.maxDistance = round(
    distances[Math.min(distances.length - 1, Math.floor(quantile * distances.length))] ?? 0,
  );
  return coverage;
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
