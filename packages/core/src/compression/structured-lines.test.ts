import { describe, expect, it } from 'vitest';
import { structuredRun } from './structured-lines';

function run(text: string) {
  const lines = text.split('\n');
  return structuredRun((index) => lines[index]!, 0, lines.length);
}

describe('structuredRun', () => {
  it('takes unfenced code and YAML as blocks, blank lines inside included', () => {
    expect(run('def f(x):\n    y = x * 2\n\n    return y\nThe end.')).toEqual({ last: 3, isBlock: true });
    expect(run('server:\n  port: 8080\n  hosts:\n    - a')).toEqual({ last: 3, isBlock: true });
  });

  it('leaves prose, worked arithmetic and question/answer lines alone', () => {
    expect(run('Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 eggs.\nShe makes $18.').isBlock).toBe(false);
    expect(run('Q: What is 2 + 2?\nA: 4').isBlock).toBe(false);
    expect(run('A plain sentence.\nAnother one.').isBlock).toBe(false);
  });
});
