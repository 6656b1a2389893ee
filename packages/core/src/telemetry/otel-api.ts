import type { TelemetrySpan, TelemetryTracer } from './telemetry-settings';

/** What this project uses of `@opentelemetry/api` (typed here: the package is an optional peer). */
export type OtelApi = {
  trace: {
    getTracer(name: string, version?: string): TelemetryTracer;
    setSpan(context: unknown, span: TelemetrySpan): unknown;
  };
  context: {
    active(): unknown;
    with<T>(context: unknown, fn: () => T): T;
  };
};

/** `undefined` until the first load finished; `null` when the package is not installed. */
let loaded: OtelApi | null | undefined;
let loading: Promise<OtelApi | null> | undefined;

/** `@opentelemetry/api`, or null when it is not installed. Loaded once. */
export function loadOtelApi(): Promise<OtelApi | null> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  loading ??= import('@opentelemetry/api').then(
    (module) => {
      const api = ((module as { default?: unknown }).default ?? module) as OtelApi;
      loaded = typeof api.trace?.getTracer === 'function' ? api : null;
      return loaded;
    },
    () => {
      loaded = null;
      return null;
    },
  );
  return loading;
}

/** The loaded API without waiting: `undefined` while it has not been loaded yet. */
export function loadedOtelApi(): OtelApi | null | undefined {
  return loaded;
}
