import { loadedOtelApi, loadOtelApi, type OtelApi } from './otel-api';
import type {
  TelemetryAttributes,
  TelemetrySettings,
  TelemetrySpan,
  TelemetryTracer,
} from './telemetry-settings';

/** OpenTelemetry's `SpanStatusCode.ERROR` and `SpanKind` values (numbers in the stable API). */
const STATUS_ERROR = 2;
export const SPAN_KIND_INTERNAL = 0;
export const SPAN_KIND_CLIENT = 2;

const DEFAULT_SETTINGS: TelemetrySettings = {};
/** Settings objects are read once: a caller that changes one afterwards must pass a new object. */
const tracers = new WeakMap<TelemetrySettings, StageTracer | null>();

/** A started span, and the context that makes it the parent of spans started inside it. */
export type StageSpan = { readonly span: TelemetrySpan; readonly context: unknown };

/**
 * Starts and ends the spans of the Tokenomics stages. It never throws into a call: a tracer that
 * fails is left alone and the call goes on.
 */
export class StageTracer {
  private constructor(
    private readonly tracer: TelemetryTracer,
    private readonly api: OtelApi | null,
    private readonly common: TelemetryAttributes,
  ) {}

  /**
   * The tracer for these settings, or null when nothing is to be recorded (`isEnabled: false`, or no
   * `tracer` given and `@opentelemetry/api` not installed). Remembered per settings object, so a
   * call on the hot path (an exact cache hit) builds nothing.
   */
  static async for(settings: TelemetrySettings | undefined): Promise<StageTracer | null> {
    const ready = StageTracer.ready(settings);
    if (ready !== undefined) return ready;
    await loadOtelApi();
    return StageTracer.ready(settings) ?? null;
  }

  /** `for` without waiting: undefined while `@opentelemetry/api` has not been looked for yet. */
  static ready(settings: TelemetrySettings | undefined): StageTracer | null | undefined {
    if (settings?.isEnabled === false) return null;
    const key = settings ?? DEFAULT_SETTINGS;
    const known = tracers.get(key);
    if (known !== undefined) return known;
    const api = loadedOtelApi();
    // Not looked for yet: even with a tracer of its own, a span needs the API's context to have children.
    if (api === undefined) return undefined;
    const tracer = settings?.tracer ?? api?.trace.getTracer('tokenomics');
    const made = tracer ? new StageTracer(tracer, api ?? null, commonAttributes(settings)) : null;
    tracers.set(key, made);
    return made;
  }

  /** Starts a span under `parent`, else under the active span. */
  start(
    name: string,
    attributes: TelemetryAttributes,
    parent?: StageSpan,
    kind = SPAN_KIND_INTERNAL,
  ): StageSpan {
    try {
      const parentContext = parent?.context ?? this.api?.context.active();
      const span = this.tracer.startSpan(
        name,
        { kind, attributes: defined({ ...this.common, ...attributes }) },
        parentContext,
      );
      // A span nothing records has no children worth a context of their own.
      const context =
        this.api && parentContext !== undefined && span.isRecording?.() !== false
          ? this.api.trace.setSpan(parentContext, span)
          : undefined;
      return { span, context };
    } catch {
      // A failing tracer must not fail the call it observes.
      return { span: NOOP_SPAN, context: parent?.context };
    }
  }

  /** Runs `fn` with the span active, so spans the model's own instrumentation starts nest under it. */
  run<T>(stage: StageSpan, fn: () => Promise<T>): Promise<T> {
    if (!this.api || stage.context === undefined) return fn();
    return this.api.context.with(stage.context, fn);
  }

  /** Ends a span with its last attributes, and the error that ended it, if any. */
  end(stage: StageSpan, attributes: TelemetryAttributes = {}, error?: unknown, endTime?: number): void {
    try {
      stage.span.setAttributes(defined(attributes));
      if (error !== undefined) {
        stage.span.recordException(error instanceof Error ? error : String(error));
        stage.span.setStatus({
          code: STATUS_ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      stage.span.end(endTime);
    } catch {
      // A failing tracer must not fail the call it observes.
    }
  }

  /**
   * Runs `fn` in a span that `describe` fills from its result; an error ends the span as failed.
   * A span nobody records (no SDK registered, or sampled out) is ended at once and `fn` runs as if
   * there were none, so an unobserved stage costs little more than the call.
   */
  inSpan<T>(
    name: string,
    attributes: () => TelemetryAttributes,
    fn: () => Promise<T>,
    describe: (result: T) => TelemetryAttributes,
  ): Promise<T> {
    const stage = this.start(name, {});
    if (stage.span.isRecording?.() === false) {
      this.end(stage);
      return fn();
    }
    stage.span.setAttributes(defined({ ...this.common, ...safely(attributes) }));
    return this.recorded(stage, fn, describe);
  }

  private async recorded<T>(
    stage: StageSpan,
    fn: () => Promise<T>,
    describe: (result: T) => TelemetryAttributes,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.run(stage, fn);
    } catch (error) {
      this.end(stage, {}, error);
      throw error;
    }
    this.end(
      stage,
      safely(() => describe(result)),
    );
    return result;
  }
}

const NOOP_SPAN: TelemetrySpan = {
  setAttributes: () => undefined,
  setStatus: () => undefined,
  recordException: () => undefined,
  end: () => undefined,
};

/** Wall-clock time in epoch milliseconds with sub-millisecond precision (a span's end time). */
export function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function commonAttributes(settings: TelemetrySettings | undefined): TelemetryAttributes {
  const attributes: TelemetryAttributes = {};
  if (settings?.functionId) attributes['ai.telemetry.functionId'] = settings.functionId;
  for (const [key, value] of Object.entries(settings?.metadata ?? {}))
    attributes[`ai.telemetry.metadata.${key}`] = value;
  return attributes;
}

function defined(attributes: TelemetryAttributes): TelemetryAttributes {
  const result: TelemetryAttributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    result[key] = value;
  }
  return result;
}

function safely(describe: () => TelemetryAttributes): TelemetryAttributes {
  try {
    return describe();
  } catch {
    return {};
  }
}
