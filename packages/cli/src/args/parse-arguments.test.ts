import { describe, expect, it } from 'vitest';
import { formatOptions, parseArguments } from './parse-arguments';
import { UsageError } from './usage-error';

const specs = {
  pairs: { type: 'string', description: 'pairs file' },
  latency: { type: 'boolean', description: 'measure latency' },
  queries: { type: 'number', description: 'lookups', default: 1000, min: 1 },
  sizes: { type: 'number-list', description: 'sizes', default: [10_000] },
  noVerifier: { type: 'boolean', description: 'no verifier' },
} as const;

describe('parseArguments', () => {
  it('reads --name value, --name=value, booleans and positionals', () => {
    const parsed = parseArguments(
      ['convert', '--pairs', 'a.jsonl', '--latency', '--queries=50', 'extra'],
      specs,
    );
    expect(parsed.options).toMatchObject({ pairs: 'a.jsonl', latency: true, queries: 50, noVerifier: false });
    expect(parsed.positionals).toEqual(['convert', 'extra']);
    expect(parsed.help).toBe(false);
  });

  it('fills defaults for options not given', () => {
    const parsed = parseArguments([], specs);
    expect(parsed.options.queries).toBe(1000);
    expect(parsed.options.sizes).toEqual([10_000]);
    expect(parsed.options.pairs).toBeUndefined();
    expect(parsed.options.latency).toBe(false);
  });

  it('maps kebab-case flags to camelCase names', () => {
    expect(parseArguments(['--no-verifier'], specs).options.noVerifier).toBe(true);
  });

  it('reads number lists, including 1e6 and underscores', () => {
    expect(parseArguments(['--sizes', '10000,1_000_000,1e6'], specs).options.sizes).toEqual([
      10_000, 1_000_000, 1_000_000,
    ]);
  });

  it('recognizes --help and -h', () => {
    expect(parseArguments(['-h'], specs).help).toBe(true);
    expect(parseArguments(['--help'], specs).help).toBe(true);
  });

  it.each([
    [['--pairs'], /needs a value/],
    [['--pairs', '--latency'], /needs a value/],
    [['--unknown'], /Unknown option --unknown/],
    [['-x'], /Unknown option -x/],
    [['--queries', 'many'], /expects a number/],
    [['--queries', '0'], /must be ≥ 1/],
    [['--latency=yes'], /takes no value/],
    [['--sizes', ','], /comma-separated list/],
  ])('rejects %j with a usage error', (argv, message) => {
    let thrown: unknown;
    try {
      parseArguments(argv, specs);
    } catch (error) {
      thrown = error;
    }
    expect(UsageError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });

  it('lists every option with its default in the help text', () => {
    const help = formatOptions(specs);
    expect(help).toContain('--no-verifier');
    expect(help).toContain('--queries <number>');
    expect(help).toContain('(default: 1000)');
  });
});
