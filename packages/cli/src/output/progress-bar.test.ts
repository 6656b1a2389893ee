import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress-bar';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  let clock = 0;
  return {
    stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) },
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
    writes,
  };
}

describe('createProgressBar', () => {
  it('writes a line at each tenth of the work and when done, when the output is not a terminal', () => {
    const output = recorder(false);
    const progress = createProgressBar('lookups', 1_000, output);
    for (let index = 0; index < 1_000; index++) {
      output.advance(10);
      progress.tick();
    }
    progress.done();
    expect(output.writes).toHaveLength(10);
    expect(output.writes[0]).toBe('lookups: 10% (100/1000) 1s, eta 9s\n');
    expect(output.writes[8]).toBe('lookups: 90% (900/1000) 9s, eta 1s\n');
    expect(output.writes[9]).toBe('lookups: done, 1000/1000 in 10s\n');
    expect(output.writes.every((line) => !line.includes('\r'))).toBe(true);
  });

  it('redraws one bar in place on a terminal and clears it when done', () => {
    const output = recorder(true);
    const progress = createProgressBar('lookups', 4, output);
    for (let index = 0; index < 4; index++) {
      output.advance(200);
      progress.tick();
    }
    progress.done();
    expect(output.writes.slice(0, -1).every((text) => text.startsWith('\rlookups ['))).toBe(true);
    expect(output.writes.at(-2)).toContain('4/4');
    expect(output.writes.at(-1)).toBe('\r\u001b[K');
  });

  it('writes nothing for an empty run, and nothing after done', () => {
    const output = recorder(false);
    createProgressBar('nothing', 0, output).tick();
    const progress = createProgressBar('once', 10, output);
    progress.done();
    progress.tick(10);
    progress.done();
    expect(output.writes).toEqual(['once: done, 0/10 in 0s\n']);
  });
});
