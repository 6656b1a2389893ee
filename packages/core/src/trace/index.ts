export { addStep, createTrace, startStep } from './create-trace';
export { type FinishTraceOptions, finishTrace } from './finish-trace';
export { formatTrace } from './format-trace';
export { type JsonValue, toJsonSafe } from './json-safe';
export { createJsonlTraceSink } from './jsonl-trace-sink';
export { toProviderMetadata } from './provider-metadata';
export type { DecisionTrace, TraceListener, TraceSink, TraceStep } from './trace';
export { createTraceCollector, type TraceCollector } from './trace-collector';
