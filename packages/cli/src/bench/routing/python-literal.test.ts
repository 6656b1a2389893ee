import { describe, expect, it } from 'vitest';
import { parsePythonStringList } from './python-literal';

describe('parsePythonStringList', () => {
  it("reads repr's quoting and escapes", () => {
    expect(parsePythonStringList("['Which is it?\\nA) one\\nB) two']")).toEqual([
      'Which is it?\nA) one\nB) two',
    ]);
    expect(parsePythonStringList(`["It's a \\"test\\"", 'tab\\there']`)).toEqual([
      'It\'s a "test"',
      'tab\there',
    ]);
    expect(parsePythonStringList("['caf\\xe9 \\u2192 \\\\n']")).toEqual(['café → \\n']);
    expect(parsePythonStringList('[]')).toEqual([]);
  });

  it('returns undefined for anything else, so the caller keeps the raw text', () => {
    expect(parsePythonStringList('plain prompt')).toBeUndefined();
    expect(parsePythonStringList("['unterminated]")).toBeUndefined();
    expect(parsePythonStringList("['a' 'b']")).toBeUndefined();
  });
});
