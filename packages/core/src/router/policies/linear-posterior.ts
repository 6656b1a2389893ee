import type { ArmStatistics } from '../types';

/**
 * The posterior of one arm's ridge regression, factored once per update and reused by every
 * decision until the next: θ = (sI + A)⁻¹ b, and the Cholesky factor L of sI + A for variances.
 * Plain Float64Array math with caller-owned scratch, so a decision allocates nothing.
 */
export class LinearPosterior {
  readonly factor: Float64Array;
  readonly coefficients: Float64Array;
  private readonly scratch: Float64Array;

  constructor(readonly dimensions: number) {
    this.factor = new Float64Array(dimensions * dimensions);
    this.coefficients = new Float64Array(dimensions);
    this.scratch = new Float64Array(dimensions);
  }

  /** Refactors from the arm's statistics and the prior's ridge strength. */
  refresh(statistics: ArmStatistics | undefined, ridge: number): void {
    const size = this.dimensions;
    const factor = this.factor;
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        const index = row * size + column;
        factor[index] =
          (statistics ? (statistics.precision[index] as number) : 0) + (row === column ? ridge : 0);
      }
    }
    choleskyInPlace(factor, size);
    const weighted = this.scratch;
    for (let index = 0; index < size; index++)
      weighted[index] = statistics ? (statistics.weighted[index] as number) : 0;
    solveInPlace(factor, size, weighted);
    this.coefficients.set(weighted);
  }

  /** xᵀθ: the predicted residual for a context. */
  mean(context: Float64Array): number {
    let sum = 0;
    for (let index = 0; index < this.dimensions; index++) {
      sum += (this.coefficients[index] as number) * (context[index] as number);
    }
    return sum;
  }

  /** √(xᵀ(sI + A)⁻¹x): the standard deviation of the prediction in units of the noise. */
  spread(context: Float64Array): number {
    const size = this.dimensions;
    const factor = this.factor;
    const solved = this.scratch;
    let sum = 0;
    for (let row = 0; row < size; row++) {
      let value = context[row] as number;
      for (let column = 0; column < row; column++) {
        value -= (factor[row * size + column] as number) * (solved[column] as number);
      }
      value /= factor[row * size + row] as number;
      solved[row] = value;
      sum += value * value;
    }
    return Math.sqrt(sum);
  }
}

/** Lower Cholesky factor of a symmetric positive definite matrix, in place (upper triangle zeroed). */
function choleskyInPlace(matrix: Float64Array, size: number): void {
  for (let column = 0; column < size; column++) {
    let diagonal = matrix[column * size + column] as number;
    for (let inner = 0; inner < column; inner++) {
      const value = matrix[column * size + inner] as number;
      diagonal -= value * value;
    }
    // The ridge keeps the matrix positive definite; the floor only guards rounding.
    const root = Math.sqrt(Math.max(diagonal, 1e-12));
    matrix[column * size + column] = root;
    for (let row = column + 1; row < size; row++) {
      let value = matrix[row * size + column] as number;
      for (let inner = 0; inner < column; inner++) {
        value -= (matrix[row * size + inner] as number) * (matrix[column * size + inner] as number);
      }
      matrix[row * size + column] = value / root;
    }
    for (let after = column + 1; after < size; after++) matrix[column * size + after] = 0;
  }
}

/** Solves L Lᵀ y = v in place. */
function solveInPlace(factor: Float64Array, size: number, vector: Float64Array): void {
  for (let row = 0; row < size; row++) {
    let value = vector[row] as number;
    for (let column = 0; column < row; column++)
      value -= (factor[row * size + column] as number) * (vector[column] as number);
    vector[row] = value / (factor[row * size + row] as number);
  }
  for (let row = size - 1; row >= 0; row--) {
    let value = vector[row] as number;
    for (let column = row + 1; column < size; column++)
      value -= (factor[column * size + row] as number) * (vector[column] as number);
    vector[row] = value / (factor[row * size + row] as number);
  }
}
