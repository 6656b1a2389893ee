import { normalQuantile } from '../util/normal-quantile';

/**
 * Learns from verified candidates where semantic hits may be served so that the share of served
 * answers that disagree with a fresh model answer stays under a target, with a confidence bound
 * (after vCache, Schroeder et al., ICLR 2026: thresholds learned online with a bound on wrong
 * hits). Each verification is a (score, agreed) observation; the serving threshold is the lowest
 * score such that the one-sided Wilson upper bound of the error rate among all observations at or
 * above it is within the target. With too few observations there is no threshold: nothing is
 * served until the evidence says it is safe.
 */
export class ErrorRateController {
  readonly target: number;
  readonly confidence: number;
  private readonly z: number;
  private readonly total = new Float64Array(BINS);
  private readonly wrong = new Float64Array(BINS);
  private cachedThreshold: ThresholdEstimate | undefined | null = null;

  constructor(options: { target: number; confidence?: number }) {
    if (!(options.target > 0 && options.target < 1))
      throw new RangeError(`maxErrorRate must be between 0 and 1 (exclusive), got ${options.target}`);
    const confidence = options.confidence ?? 0.95;
    if (!(confidence >= 0.5 && confidence < 1))
      throw new RangeError(`confidence must be in [0.5, 1), got ${confidence}`);
    this.target = options.target;
    this.confidence = confidence;
    this.z = normalQuantile(confidence);
  }

  /** Records one verified candidate: its score and whether the cached answer agreed with the fresh one. */
  record(score: number, agreed: boolean): void {
    const bin = binOf(score);
    this.total[bin]! += 1;
    if (!agreed) this.wrong[bin]! += 1;
    this.cachedThreshold = null;
  }

  /** Whether a candidate with this score may be served now. */
  canServe(score: number): boolean {
    const estimate = this.threshold();
    return estimate !== undefined && binOf(score) >= estimate.bin;
  }

  /** The current serving threshold and the error estimate above it, or undefined while unproven. */
  threshold(): ThresholdEstimate | undefined {
    if (this.cachedThreshold !== null) return this.cachedThreshold;
    let observations = 0;
    let errors = 0;
    let best: ThresholdEstimate | undefined;
    for (let bin = BINS - 1; bin >= 0; bin--) {
      observations += this.total[bin]!;
      errors += this.wrong[bin]!;
      // Only scores that were seen can become the threshold: nothing is known below the lowest one.
      if (this.total[bin] === 0) continue;
      const bound = wilsonUpper(errors, observations, this.z);
      if (bound <= this.target)
        best = {
          score: bin / BINS,
          bin,
          observations,
          errorRate: errors / observations,
          errorRateBound: bound,
        };
    }
    this.cachedThreshold = best;
    return best;
  }

  /** All observations: how many were verified and how many disagreed. */
  totals(): { observations: number; disagreements: number } {
    let observations = 0;
    let disagreements = 0;
    for (let bin = 0; bin < BINS; bin++) {
      observations += this.total[bin]!;
      disagreements += this.wrong[bin]!;
    }
    return { observations, disagreements };
  }
}

export type ThresholdEstimate = {
  /** Lowest score served. */
  score: number;
  bin: number;
  /** Verified candidates at or above the threshold. */
  observations: number;
  /** Their share that disagreed. */
  errorRate: number;
  /** The one-sided upper confidence bound of that share. */
  errorRateBound: number;
};

const BINS = 200;

function binOf(score: number): number {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(score) ? score : 0));
  return Math.min(BINS - 1, Math.floor(clamped * BINS));
}

/** One-sided Wilson score upper bound of a binomial proportion. */
export function wilsonUpper(failures: number, trials: number, z: number): number {
  if (trials <= 0) return 1;
  const p = failures / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.min(1, (centre + spread) / (1 + z2 / trials));
}
