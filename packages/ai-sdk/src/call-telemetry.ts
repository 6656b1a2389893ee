import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { TelemetryAttributes, TelemetrySettings } from '@tokenomics/core';
import { TOKENOMICS_PROVIDER_OPTIONS_KEY } from './to-tokenomics-request';

/**
 * The telemetry settings of one call: the middleware's (`telemetry`, the same object you give
 * `generateText` as `experimental_telemetry`), with `providerOptions.tokenomics.telemetry` of the
 * call over them (`isEnabled`, `functionId`; `metadata` merged key by key). A malformed per-call
 * value is ignored: telemetry never fails a call.
 */
export function callTelemetry(
  configured: TelemetrySettings | undefined,
  params: LanguageModelV4CallOptions,
): TelemetrySettings | undefined {
  const perCall = readTelemetry(params.providerOptions?.[TOKENOMICS_PROVIDER_OPTIONS_KEY]?.telemetry);
  if (!perCall) return configured;
  return {
    ...configured,
    ...perCall,
    metadata: { ...configured?.metadata, ...perCall.metadata },
  };
}

function readTelemetry(value: unknown): Omit<TelemetrySettings, 'tracer'> | undefined {
  if (!isRecord(value)) return undefined;
  const settings: Omit<TelemetrySettings, 'tracer'> = {};
  if (typeof value.isEnabled === 'boolean') settings.isEnabled = value.isEnabled;
  if (typeof value.functionId === 'string') settings.functionId = value.functionId;
  if (isRecord(value.metadata)) settings.metadata = value.metadata as TelemetryAttributes;
  return settings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
