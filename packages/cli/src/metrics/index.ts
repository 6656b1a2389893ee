export { areaUnderRoc } from './area-under-roc';
export { countHits, type HitCounts, type QualityScores, qualityScores } from './classification';
export { type LatencySummary, percentile, summarizeLatency } from './percentile';
export { sweepThresholds } from './threshold-sweep';
