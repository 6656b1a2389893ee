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

/** Standard normal quantile (Acklam's rational approximation; error below 1e-8 in the range used). */
function normalQuantile(probability: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (probability < low) {
    const q = Math.sqrt(-2 * Math.log(probability));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (probability <= 1 - low) {
    const q = probability - 0.5;
    const r = q * q;
    return (
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - probability));
  return (
    -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  );
}
