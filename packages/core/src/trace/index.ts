export { createTrace } from './create-trace';
export type { FinishTraceOptions } from './finish-trace';
export { formatTrace } from './format-trace';
export type { JsonValue } from './json-safe';
export { createJsonlTraceSink } from './jsonl-trace-sink';
export type { DecisionTrace, TraceListener, TraceSink, TraceStep } from './trace';
export { createTraceCollector, type TraceCollector } from './trace-collector';
