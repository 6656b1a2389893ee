export {
  createRouter,
  DEFAULT_EXPECTED_OUTPUT_TOKENS,
  DEFAULT_MAX_DECISIONS,
  DEFAULT_SHADOW_WAIT_MS,
} from './create-router';
export { AllTiersFailedError, BanditStateStoreError, InvalidRouterOptionsError } from './errors';
export type { RetryOptions } from './faults/call-with-retries';
export type { CircuitBreakerOptions } from './faults/circuit-breaker';
export {
  classifyProviderError,
  isTransient,
  type ProviderErrorKind,
  retryAfterMs,
} from './faults/provider-errors';
export {
  type FeatureExtractionOptions,
  LEXICAL_FEATURE_COUNT,
  LEXICAL_FEATURE_NAMES,
} from './features/lexical-features';
export { OutcomeMemory, type OutcomeMemoryOptions, type TierOutcomeEstimate } from './outcome-memory';
export { fixed, type RandomPolicyOptions, random } from './policies/baseline-policies';
export { type CascadeOptions, cascade } from './policies/cascade';
export { type ClassifierPriorOptions, classifierPrior } from './policies/classifier-prior';
export { type ContextualBanditOptions, contextualBandit } from './policies/contextual-bandit';
export {
  type NeighbourBanditOptions,
  type NeighbourBudget,
  neighbourBandit,
} from './policies/neighbour-bandit';
export type { PriorSource } from './policies/prior-source';
export { thresholdForQuality, thresholdForStrongShare } from './policies/prior-threshold';
export { ROUTE_METADATA_KEY, type RouteAttemptMetadata, type RouteMetadata } from './route-metadata';
export type { RouterEngineSettings } from './router-engine-settings';
export { type AgreementScorerOptions, agreementScorer, answerSimilarity } from './scorers/agreement-scorer';
export {
  emptyAnswerScorer,
  hedgingScorer,
  heuristicScorers,
  refusalScorer,
  truncationScorer,
} from './scorers/heuristic-scorers';
export { validateJsonSchema } from './scorers/json-schema-validator';
export { functionScorer, learnedScorer } from './scorers/learned-scorer';
export { type JudgeInput, type LlmJudgeScorerOptions, llmJudgeScorer } from './scorers/llm-judge-scorer';
export {
  type LogprobConfidenceOptions,
  logprobConfidenceScorer,
  tokenLogprobs,
} from './scorers/logprob-confidence-scorer';
export { type CombinedScore, type ScoreCombination, scoreAnswer } from './scorers/score-answer';
export { structuredOutputScorer } from './scorers/structured-output-scorer';
export { createSeededRandom, type SeededRandom } from './seeded-random';
export { MemoryBanditStateStore } from './state/memory-bandit-state-store';
export {
  SqliteBanditStateStore,
  type SqliteBanditStateStoreOptions,
} from './state/sqlite-bandit-state-store';
export { StreamCommittedError } from './stream-committed-error';
export { estimateTierCosts, type PricedTier, sortTiers } from './tiers';
export type * from './types';
