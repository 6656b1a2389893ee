export {
  ANSWER_FEATURE_COUNT,
  ANSWER_FEATURE_NAMES,
  answerFeatures,
  finalAnswer,
  heuristicAnswerScore,
} from './answer-features';
export {
  PRIOR_EMBEDDING_DIMENSIONS,
  priorFeatureNames,
  priorFeatureVector,
  promptRouteFeatures,
} from './prior-features';
