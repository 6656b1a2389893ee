import { describe, expect, it } from 'vitest';
import { StreamCommittedError } from '../stream-committed-error';
import { classifyProviderError, isTransient, retryAfterMs } from './provider-errors';

function httpError(status: number, message = `status ${status}`, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { status, ...extra });
}

describe('classifyProviderError', () => {
  it('reads the status of OpenAI/Anthropic errors, AI SDK APICallError and wrapped errors', () => {
    expect(classifyProviderError(httpError(429))).toBe('rate-limit');
    expect(classifyProviderError(httpError(503))).toBe('server');
    expect(classifyProviderError(httpError(529, 'Overloaded'))).toBe('server');
    expect(classifyProviderError(httpError(408))).toBe('timeout');
    expect(classifyProviderError(httpError(400, 'Invalid value for messages[0].role'))).toBe('request');
    expect(classifyProviderError(httpError(422))).toBe('request');
    expect(classifyProviderError(httpError(401))).toBe('tier-unavailable');
    expect(classifyProviderError(httpError(404, 'The model `gpt-9` does not exist'))).toBe(
      'tier-unavailable',
    );
    expect(classifyProviderError(Object.assign(new Error('x'), { statusCode: 500, isRetryable: true }))).toBe(
      'server',
    );
    const wrapped = new Error('model call failed', { cause: httpError(429) });
    expect(classifyProviderError(wrapped)).toBe('rate-limit');
  });

  it('tells a window too small for the prompt from a bad request: another tier may have a larger one', () => {
    const error = httpError(400, "This model's maximum context length is 8192 tokens");
    expect(classifyProviderError(error)).toBe('context-length');
  });

  it('reads errors without a status by name, code and message', () => {
    expect(classifyProviderError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe('timeout');
    expect(classifyProviderError(new Error('Request timed out.'))).toBe('timeout');
    expect(classifyProviderError(Object.assign(new Error('socket'), { code: 'ECONNRESET' }))).toBe('network');
    expect(classifyProviderError(new TypeError('fetch failed'))).toBe('network');
    expect(classifyProviderError(Object.assign(new Error('x'), { lc_error_code: 'MODEL_RATE_LIMIT' }))).toBe(
      'rate-limit',
    );
    expect(classifyProviderError(new Error('Rate limit reached for requests'))).toBe('rate-limit');
    expect(classifyProviderError(new StreamCommittedError('cheap'))).toBe('committed');
    expect(classifyProviderError(new Error('something else'))).toBe('unknown');
  });

  it('retries only what a retry can fix', () => {
    expect(isTransient('rate-limit')).toBe(true);
    expect(isTransient('server')).toBe(true);
    expect(isTransient('request')).toBe(false);
    expect(isTransient('tier-unavailable')).toBe(false);
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds or as a date, and retry-after-ms, from fetch or plain headers', () => {
    expect(retryAfterMs({ headers: new Headers({ 'retry-after': '2' }) })).toBe(2000);
    expect(retryAfterMs({ responseHeaders: { 'Retry-After-Ms': '150' } })).toBe(150);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' } }, now)).toBe(5000);
    expect(retryAfterMs(new Error('no headers'))).toBeUndefined();
  });
});
