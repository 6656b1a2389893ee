import type { ClassifierTrainingOptions } from '../../packages/cli/src/bench/routing/train-classifier';
import { type DenseLayer, forward } from '../../packages/core/src/cache/verifier/verifier-model';

type TrainNetwork = (
  rows: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  options: ClassifierTrainingOptions,
) => DenseLayer[];

/**
 * The `train` argument of `outOfFold`: fits a network (`trainClassifier` or `trainRegressor`) on
 * the rows and targets of the training indices, and scores any index with it.
 */
export function foldTrainer(
  rows: readonly Float64Array[],
  targets: readonly number[],
  trainNetwork: TrainNetwork,
  options: ClassifierTrainingOptions,
): (training: number[]) => (index: number) => number {
  return (training) => {
    const layers = trainNetwork(
      training.map((index) => rows[index]!),
      training.map((index) => targets[index]!),
      options,
    );
    return (index) => forward({ layers }, rows[index]!);
  };
}
