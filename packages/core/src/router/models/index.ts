export {
  ANSWER_FEATURE_COUNT,
  ANSWER_FEATURE_NAMES,
  answerFeatures,
  finalAnswer,
  heuristicAnswerScore,
} from './answer-features';
export {
  ANSWER_SCORER_FORMAT,
  type AnswerModelOptions,
  type AnswerScorerMeta,
  loadAnswerQualityModel,
  loadAnswerScorer,
} from './load-answer-scorer';
export {
  loadOutputLengthPredictor,
  OUTPUT_LENGTH_FEATURE_NAMES,
  OUTPUT_LENGTH_FORMAT,
  type OutputLengthMeta,
  type OutputLengthPredictor,
} from './load-output-length';
export {
  loadRouterPrior,
  type PriorCoverageCheck,
  ROUTER_PRIOR_FORMAT,
  type RouterPrior,
  type RouterPriorMeta,
  type RouterPriorOptions,
} from './load-router-prior';
export {
  type CoverageFitOptions,
  coverageRatio,
  fitCoverage,
  isCovered,
  type PriorCoverage,
} from './prior-coverage';
export {
  PRIOR_EMBEDDING_DIMENSIONS,
  priorFeatureNames,
  priorFeatureVector,
  promptRouteFeatures,
} from './prior-features';
export { type RouterModelMeta, type RouterModelName, shippedRouterModelFile } from './router-model-file';
export { RouterModelUnavailableError } from './router-model-unavailable-error';
