import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv';

describe('parseCsv', () => {
  it('keeps quoted commas, doubled quotes and newlines inside one field', () => {
    const rows = parseCsv('prompt,a,b\r\n"Q: 1, 2\nA ""dished"" face",True,False\nplain,False,True\n');
    expect(rows).toEqual([
      { prompt: 'Q: 1, 2\nA "dished" face', a: 'True', b: 'False' },
      { prompt: 'plain', a: 'False', b: 'True' },
    ]);
  });

  it('reads a last row without a trailing newline', () => {
    expect(parseCsv('x,y\n1,2')).toEqual([{ x: '1', y: '2' }]);
  });
});
