import { StreamCommittedError } from '../stream-committed-error';

/**
 * What a tier's error says about the next step:
 * - `'rate-limit'`, `'timeout'`, `'server'`, `'network'`: transient — retry with backoff, then
 *   fall back to another tier;
 * - `'tier-unavailable'` (401, 403, 404: a key or model this tier lacks) and `'context-length'`
 *   (this tier's window is too small): another tier may answer, a retry would not;
 * - `'request'` (400, 422 and other 4xx): the request itself is bad, every tier would refuse it —
 *   surface it at once;
 * - `'committed'`: a live stream already showed part of one tier's answer;
 * - `'unknown'`: none of the above; falls back as before, without a retry.
 * None of them says anything about the quality of the tier's answers.
 */
export type ProviderErrorKind =
  | 'rate-limit'
  | 'timeout'
  | 'server'
  | 'network'
  | 'tier-unavailable'
  | 'context-length'
  | 'request'
  | 'committed'
  | 'unknown';

const TRANSIENT: ReadonlySet<ProviderErrorKind> = new Set(['rate-limit', 'timeout', 'server', 'network']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const CONTEXT_LENGTH =
  /context[_ ]length|maximum context|context window|prompt is too long|too many (input )?tokens/i;

/** Reads the status code, error code and message of OpenAI, Anthropic, AI SDK and fetch errors. */
export function classifyProviderError(error: unknown): ProviderErrorKind {
  if (StreamCommittedError.isInstance(error)) return 'committed';
  const facts = errorFacts(error);
  if (facts.status !== undefined) return kindOfStatus(facts.status, facts.message);
  if (facts.langchainCode === 'MODEL_RATE_LIMIT') return 'rate-limit';
  if (facts.name === 'TimeoutError' || facts.code === 'ETIMEDOUT' || /timed? ?out\b/i.test(facts.message))
    return 'timeout';
  if ((facts.code && NETWORK_CODES.has(facts.code)) || /fetch failed|socket hang up/i.test(facts.message))
    return 'network';
  if (/\b429\b|rate.?limit|too many requests/i.test(facts.message)) return 'rate-limit';
  if (CONTEXT_LENGTH.test(facts.message)) return 'context-length';
  if (/\b(500|502|503|504|529)\b|overloaded|service unavailable/i.test(facts.message)) return 'server';
  return 'unknown';
}

/** Rate limits, timeouts, 5xx and dropped connections: worth a retry and a fallback. */
export function isTransient(kind: ProviderErrorKind): boolean {
  return TRANSIENT.has(kind);
}

/** The provider's `Retry-After` (seconds or an HTTP date, or `retry-after-ms`) in milliseconds. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = errorHeaders(error);
  if (!headers) return undefined;
  const milliseconds = headers('retry-after-ms');
  if (milliseconds !== undefined && Number.isFinite(Number(milliseconds)))
    return Math.max(0, Number(milliseconds));
  const value = headers('retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function kindOfStatus(status: number, message: string): ProviderErrorKind {
  if (status === 429) return 'rate-limit';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403 || status === 404) return 'tier-unavailable';
  if (CONTEXT_LENGTH.test(message)) return 'context-length';
  return 'request';
}

type ErrorFacts = { status?: number; code?: string; langchainCode?: string; name: string; message: string };

/** The fields providers put their status in, on the error or the error it wraps. */
function errorFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { name: '', message: '' };
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const value = current as Record<string, unknown> & { response?: { status?: unknown } };
    facts.status ??= statusOf(value.status) ?? statusOf(value.statusCode) ?? statusOf(value.response?.status);
    if (typeof value.code === 'string') facts.code ??= value.code;
    if (typeof value.lc_error_code === 'string') facts.langchainCode ??= value.lc_error_code;
    if (!facts.name && typeof value.name === 'string') facts.name = value.name;
    if (typeof value.message === 'string') facts.message = `${facts.message} ${value.message}`.trim();
    current = value.cause;
  }
  if (typeof error === 'string') facts.message = error;
  return facts;
}

function statusOf(value: unknown): number | undefined {
  const status = typeof value === 'string' ? Number(value) : value;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status < 600
    ? status
    : undefined;
}

/** A header reader over a fetch `Headers`, a plain record (AI SDK `responseHeaders`), or none. */
function errorHeaders(error: unknown): ((name: string) => string | undefined) | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = error as { headers?: unknown; responseHeaders?: unknown; response?: { headers?: unknown } };
  const headers = value.headers ?? value.responseHeaders ?? value.response?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') {
    return (name) => (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Record<string, unknown>;
  return (name) => {
    const found = Object.keys(record).find((key) => key.toLowerCase() === name);
    return found === undefined ? undefined : String(record[found]);
  };
}
