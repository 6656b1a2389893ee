import { describe, expect, it } from 'vitest';
import { formatMarkdown } from './format-markdown';

describe('formatMarkdown', () => {
  it('pads table columns to one width and puts a blank line after headings', () => {
    const page = '## Metrics\n| model | AUC |\n|---|---|\n| logistic regression | 0.785 |\n| net | 0.7 |\n';
    expect(formatMarkdown(page)).toBe(
      [
        '## Metrics',
        '',
        '| model               | AUC   |',
        '| ------------------- | ----- |',
        '| logistic regression | 0.785 |',
        '| net                 | 0.7   |',
        '',
      ].join('\n'),
    );
  });

  it('leaves a formatted page as it is', () => {
    const once = formatMarkdown('# Card\ntext\n\n| a | b |\n|---|---|\n| 1 | 22 |\n');
    expect(formatMarkdown(once)).toBe(once);
  });

  it('leaves fenced code as it is: a shell comment is not a heading, a pipe line is not a table', () => {
    const page = ['## Run', '', '```sh', '# the grid', '|a|bb|', '```', '# After', 'text', ''].join('\n');
    expect(formatMarkdown(page)).toBe(
      ['## Run', '', '```sh', '# the grid', '|a|bb|', '```', '# After', '', 'text', ''].join('\n'),
    );
  });
});
