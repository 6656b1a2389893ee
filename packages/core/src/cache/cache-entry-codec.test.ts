import { describe, expect, it } from 'vitest';
import { textAnswer } from '../test-utils/cache-fixtures';
import { decodeCacheEntry, encodeCacheEntry } from './cache-entry-codec';

describe('cache entry codec', () => {
  it('reads back what it wrote', () => {
    const payload = {
      response: textAnswer('Paris.'),
      semantic: { query: 'Capital of France?', context: '' },
    };
    expect(decodeCacheEntry(encodeCacheEntry(payload))).toEqual({ ok: true, payload });
  });

  it.each(['length', 'error', 'content-filter', 'other'] as const)(
    'refuses a stored answer with finish reason "%s", which the cache never stores',
    (finishReason) => {
      const text = encodeCacheEntry({ response: textAnswer('Par', finishReason) });
      const decoded = decodeCacheEntry(text);
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.reason).toContain('never stored');
    },
  );

  it('refuses broken payloads instead of serving part of them', () => {
    expect(decodeCacheEntry('{"v":1,"response":')).toMatchObject({ ok: false });
    expect(
      decodeCacheEntry(JSON.stringify({ v: 1, response: { content: 'x', finishReason: 'stop', usage: {} } })),
    ).toMatchObject({
      ok: false,
    });
    expect(
      decodeCacheEntry(
        JSON.stringify({ v: 1, response: textAnswer('ok'), semantic: { query: 1, context: '' } }),
      ),
    ).toMatchObject({
      ok: false,
    });
  });
});
