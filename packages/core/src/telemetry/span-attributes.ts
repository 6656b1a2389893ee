/**
 * Attribute names written on the stage spans: OpenTelemetry's GenAI semantic conventions where one
 * exists, `tokenomics.*` for what only this project knows.
 */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
} as const;

export const TOKENOMICS = {
  stage: 'tokenomics.stage',
  traceId: 'tokenomics.trace_id',
  /** Dollars the stage's calls cost (0 for a cache hit). */
  costUsd: 'tokenomics.cost_usd',
  /** Dollars the same call would have cost without the stage (the baseline tier, no cache). */
  baselineCostUsd: 'tokenomics.baseline_cost_usd',
  cacheResult: 'tokenomics.cache.result',
  cacheHitKind: 'tokenomics.cache.hit_kind',
  cacheSimilarity: 'tokenomics.cache.similarity',
  cacheReason: 'tokenomics.cache.reason',
  cacheSavedInputTokens: 'tokenomics.cache.saved_input_tokens',
  cacheSavedOutputTokens: 'tokenomics.cache.saved_output_tokens',
  compressionTokensBefore: 'tokenomics.compression.tokens_before',
  compressionTokensAfter: 'tokenomics.compression.tokens_after',
  compressionRatio: 'tokenomics.compression.ratio',
  compressionMethods: 'tokenomics.compression.methods',
  compressionSkipped: 'tokenomics.compression.skipped',
  routeTier: 'tokenomics.route.tier',
  routeAnsweredTier: 'tokenomics.route.answered_tier',
  routePolicy: 'tokenomics.route.policy',
  routeReason: 'tokenomics.route.reason',
  routePrior: 'tokenomics.route.prior',
  routeEscalated: 'tokenomics.route.escalated',
  routeEscalations: 'tokenomics.route.escalations',
  routeCalls: 'tokenomics.route.calls',
  tierId: 'tokenomics.tier.id',
  tierPurpose: 'tokenomics.tier.purpose',
  tierOutcome: 'tokenomics.tier.outcome',
  tierScore: 'tokenomics.tier.score',
} as const;

/** Span names, one per stage; a tier call is named as GenAI client spans are: `chat <model>`. */
export const SPAN_NAMES = {
  cacheLookup: 'tokenomics.cache.lookup',
  compression: 'tokenomics.compression',
  route: 'tokenomics.route',
} as const;
