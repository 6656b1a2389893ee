import { describe, expect, it } from 'vitest';
import { cloneJson, deepFreeze } from './json-value';

describe('deepFreeze and cloneJson', () => {
  it('freezes nested objects and arrays but leaves typed arrays usable', () => {
    const value = deepFreeze({ a: [{ b: 1 }], vector: new Float32Array([1, 2]) });
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(() => {
      (value.a[0] as { b: number }).b = 2;
    }).toThrow(TypeError);
    expect(value.vector[1]).toBe(2);
  });

  it('copies deeply: mutating the copy of a frozen value works and leaves the original alone', () => {
    const original = deepFreeze({ content: [{ type: 'text', text: 'hi', meta: { n: 1 } }], none: null });
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.content[0]!.meta.n = 2;
    copy.content.push({ type: 'text', text: 'more', meta: { n: 3 } });
    expect(original.content).toHaveLength(1);
    expect(original.content[0]!.meta.n).toBe(1);
  });
});
