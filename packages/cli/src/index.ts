export { type OptionSpec, type OptionSpecs, parseArguments, UsageError } from './args';
export type { ContextualBenchResult } from './bench/contextual-bench';
export { runContextualBench } from './bench/contextual-bench';
export type { LatencyBenchResult } from './bench/latency-bench';
export type { PairsBenchResult } from './bench/pairs-bench';
export { runPairsBench } from './bench/pairs-bench';
export type { BenchCacheResults } from './commands/bench-cache-command';
export type { CommandIo } from './commands/command-io';
export { runCli } from './commands/run-cli';
export {
  type Conversation,
  convertGptCachePairs,
  DatasetError,
  type LabelledPair,
  parseConversations,
  parseLabelledPairs,
} from './datasets';
export { demoWorkload, type Workload, type WorkloadRequest } from './demo/workload';
export { countHits, percentile, qualityScores, summarizeLatency, sweepThresholds } from './metrics';
export { answerBook, OFFLINE_LABEL, OfflineChatModel, offlineLanguageModel } from './stand-in';
