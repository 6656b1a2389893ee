import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import type { Scope } from '@tokenomics/core';
import { TOKENOMICS_PROVIDER_OPTIONS_KEY } from './to-tokenomics-request';

/**
 * Per-call cache options, passed as `providerOptions: { tokenomics: { ... } }` to
 * `generateText` / `streamText`. They never reach the cache key themselves; `scope` does
 * through the request's scope.
 */
export type TokenomicsCallOptions = {
  /**
   * Fills the fields the middleware's scope leaves unset (e.g. `user` under a configured
   * `tenant`). A field the middleware already sets wins: a call cannot leave its tenant.
   */
  scope?: Scope;
  /** Tags for the entry this call stores, added to the middleware's tags. */
  tags?: string[];
  /** Time to live of the entry this call stores, in milliseconds. */
  ttlMs?: number;
  /** `true`: neither read nor write the cache for this call. */
  bypass?: boolean;
  /**
   * OpenTelemetry settings of this call, over the middleware's `telemetry`: `isEnabled`,
   * `functionId`, `metadata` (see `TelemetrySettings`).
   */
  telemetry?: {
    isEnabled?: boolean;
    functionId?: string;
    metadata?: Record<string, string | number | boolean>;
  };
};

const KNOWN_FIELDS = new Set(['scope', 'tags', 'ttlMs', 'bypass', 'telemetry']);

export type CallOptionsResult = { ok: true; options: TokenomicsCallOptions } | { ok: false; reason: string };

/**
 * Reads and checks `providerOptions.tokenomics`. A malformed value is reported, not guessed at:
 * a scope silently dropped could serve one tenant's answer to another.
 */
export function readCallOptions(params: LanguageModelV4CallOptions): CallOptionsResult {
  const raw: unknown = params.providerOptions?.[TOKENOMICS_PROVIDER_OPTIONS_KEY];
  if (raw === undefined) return { ok: true, options: {} };
  if (!isRecord(raw)) return { ok: false, reason: 'providerOptions.tokenomics must be an object' };
  // An unknown field is most likely a misplaced scope (`tokenomics.tenant`): refuse it.
  const unknown = Object.keys(raw).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0)
    return { ok: false, reason: `unknown providerOptions.tokenomics field(s): ${unknown.join(', ')}` };
  const options: TokenomicsCallOptions = {};
  if (raw.scope !== undefined) {
    const scope = readScope(raw.scope);
    if (!scope)
      return { ok: false, reason: 'providerOptions.tokenomics.scope must hold string tenant/user/namespace' };
    options.scope = scope;
  }
  if (raw.tags !== undefined) {
    if (!Array.isArray(raw.tags) || !raw.tags.every((tag) => typeof tag === 'string')) {
      return { ok: false, reason: 'providerOptions.tokenomics.tags must be an array of strings' };
    }
    options.tags = raw.tags;
  }
  if (raw.ttlMs !== undefined) {
    if (typeof raw.ttlMs !== 'number' || !(raw.ttlMs > 0)) {
      return { ok: false, reason: 'providerOptions.tokenomics.ttlMs must be a positive number' };
    }
    options.ttlMs = raw.ttlMs;
  }
  if (raw.bypass !== undefined) {
    if (typeof raw.bypass !== 'boolean')
      return { ok: false, reason: 'providerOptions.tokenomics.bypass must be a boolean' };
    options.bypass = raw.bypass;
  }
  return { ok: true, options };
}

/**
 * Merges scopes field by field; the first scope that sets a field wins. Callers pass the
 * configured scope first and the per-call scope last, so a call can narrow its scope (add a user or
 * namespace) but never replace a tenant, user or namespace the middleware was configured with:
 * a request that could overwrite its tenant could read another tenant's answers.
 */
export function mergeScopes(...scopes: Array<Scope | undefined>): Scope | undefined {
  const merged: Scope = {};
  for (const scope of scopes) {
    if (!scope) continue;
    if (merged.tenant === undefined && scope.tenant !== undefined) merged.tenant = scope.tenant;
    if (merged.user === undefined && scope.user !== undefined) merged.user = scope.user;
    if (merged.namespace === undefined && scope.namespace !== undefined) merged.namespace = scope.namespace;
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function readScope(value: unknown): Scope | undefined {
  if (!isRecord(value)) return undefined;
  const scope: Scope = {};
  for (const field of ['tenant', 'user', 'namespace'] as const) {
    const fieldValue = value[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== 'string') return undefined;
    scope[field] = fieldValue;
  }
  return scope;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
