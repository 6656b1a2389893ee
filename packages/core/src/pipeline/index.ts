export { type AccountPipelineCallInput, accountPipelineCall } from './account-pipeline-call';
export {
  type CachedCall,
  type CachedCallHit,
  type CachedCallMiss,
  type CachedCallProblem,
  type StartCachedCallOptions,
  type StoreAnswer,
  startCachedCall,
} from './cached-call';
export {
  type PipelineCallOutcome,
  type PricedCall,
  recordPipelineCall,
  resolveBaseline,
} from './record-pipeline-call';
