/** A value OpenTelemetry accepts as a span attribute. */
export type TelemetryAttributeValue =
  | string
  | number
  | boolean
  | Array<string | null | undefined>
  | Array<number | null | undefined>
  | Array<boolean | null | undefined>;

export type TelemetryAttributes = Record<string, TelemetryAttributeValue | undefined>;

/** The part of an OpenTelemetry span this project writes to. `@opentelemetry/api`'s `Span` is one. */
export interface TelemetrySpan {
  setAttributes(attributes: TelemetryAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): void;
  end(endTime?: number): void;
  /** False for a span nothing records (no SDK registered, or sampled out). */
  isRecording?(): boolean;
}

/** The part of an OpenTelemetry tracer this project uses. `@opentelemetry/api`'s `Tracer` is one. */
export interface TelemetryTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: TelemetryAttributes },
    context?: unknown,
  ): TelemetrySpan;
}

/**
 * OpenTelemetry settings of a stage, the same shape as the AI SDK's `experimental_telemetry`, so one
 * object can be handed to both: `isEnabled: false` records nothing; `functionId` and `metadata` are
 * written on every span (as `ai.telemetry.functionId` and `ai.telemetry.metadata.<key>`, the AI
 * SDK's own attribute names).
 *
 * Spans go to `tracer`, else to the global tracer provider of `@opentelemetry/api` (an optional
 * peer dependency: without it, or without a registered SDK, nothing is recorded and nothing fails).
 */
export type TelemetrySettings = {
  /** Default: true (spans cost nothing until an OpenTelemetry SDK is registered). */
  isEnabled?: boolean;
  /** Groups the spans by the function that made the call. */
  functionId?: string;
  /** Written on every span as `ai.telemetry.metadata.<key>`. */
  metadata?: TelemetryAttributes;
  /** Default: `trace.getTracer('tokenomics')` from `@opentelemetry/api`. */
  tracer?: TelemetryTracer;
};
