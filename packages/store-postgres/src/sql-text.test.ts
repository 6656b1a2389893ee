import { describe, expect, it } from 'vitest';
import { fromSqlText, toSqlText } from './sql-text';

describe('toSqlText', () => {
  it('round-trips NUL and percent signs, and keeps different texts different', () => {
    const texts = ['\u0000scope:tenant=acme', '%00scope:tenant=acme', '100%', 'plain', '%2500'];
    const stored = texts.map(toSqlText);
    expect(stored.every((text) => !text.includes('\u0000'))).toBe(true);
    expect(new Set(stored).size).toBe(texts.length);
    expect(stored.map(fromSqlText)).toEqual(texts);
  });
});
