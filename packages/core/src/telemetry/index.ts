export { cacheLookupAttributes, traceCacheLookup } from './cache-lookup-span';
export { traceCompression } from './compression-span';
export { traceRoute } from './route-spans';
export { GEN_AI, SPAN_NAMES, TOKENOMICS } from './span-attributes';
export type {
  TelemetryAttributes,
  TelemetryAttributeValue,
  TelemetrySettings,
  TelemetrySpan,
  TelemetryTracer,
} from './telemetry-settings';
