import { UsageError } from './usage-error';

export type OptionSpec =
  | { type: 'boolean'; description: string }
  | { type: 'string'; description: string; default?: string; valueName?: string }
  | { type: 'number'; description: string; default?: number; valueName?: string; min?: number; max?: number }
  | { type: 'number-list'; description: string; default?: readonly number[]; valueName?: string };

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<Spec extends OptionSpec> = Spec extends { type: 'boolean' }
  ? boolean
  : Spec extends { type: 'string' }
    ? string | undefined
    : Spec extends { type: 'number' }
      ? number | undefined
      : readonly number[] | undefined;

export type ParsedOptions<Specs extends OptionSpecs> = { [Name in keyof Specs]: ValueOf<Specs[Name]> };

export type ParsedArguments<Specs extends OptionSpecs> = {
  options: ParsedOptions<Specs>;
  positionals: string[];
  help: boolean;
};

/**
 * Parses `--name value`, `--name=value` and boolean `--name` against a declared set of options.
 * Option names are kebab-case on the command line and camelCase in the result. Anything not
 * declared is an error rather than silently ignored, so a typo never runs a different benchmark.
 */
export function parseArguments<Specs extends OptionSpecs>(
  argv: readonly string[],
  specs: Specs,
): ParsedArguments<Specs> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (argument === '-h' || argument === '--help') {
      help = true;
      continue;
    }
    if (!argument.startsWith('--')) {
      if (argument.startsWith('-') && argument.length > 1) throw new UsageError(`Unknown option ${argument}`);
      positionals.push(argument);
      continue;
    }
    const equalsAt = argument.indexOf('=');
    const flag = equalsAt === -1 ? argument.slice(2) : argument.slice(2, equalsAt);
    const name = camelCase(flag);
    const spec = specs[name];
    if (!spec) throw new UsageError(`Unknown option --${flag}`);
    if (spec.type === 'boolean') {
      if (equalsAt !== -1) throw new UsageError(`Option --${flag} takes no value`);
      values[name] = true;
      continue;
    }
    let raw: string | undefined;
    if (equalsAt !== -1) raw = argument.slice(equalsAt + 1);
    else {
      raw = argv[index + 1];
      if (raw === undefined || raw.startsWith('--')) throw new UsageError(`Option --${flag} needs a value`);
      index++;
    }
    values[name] = convert(flag, spec, raw);
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (values[name] !== undefined) continue;
    if (spec.type === 'boolean') values[name] = false;
    else if (spec.default !== undefined) values[name] = spec.default;
  }
  return { options: values as ParsedOptions<Specs>, positionals, help };
}

/** The options block of a command's help text, one aligned line per option. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const valueName = spec.type === 'boolean' ? '' : ` <${spec.valueName ?? spec.type}>`;
    const fallback =
      spec.type !== 'boolean' && spec.default !== undefined ? ` (default: ${spec.default})` : '';
    return [`--${kebabCase(name)}${valueName}`, `${spec.description}${fallback}`] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n');
}

function convert(flag: string, spec: Exclude<OptionSpec, { type: 'boolean' }>, raw: string): unknown {
  if (spec.type === 'string') {
    if (raw.length === 0) throw new UsageError(`Option --${flag} needs a non-empty value`);
    return raw;
  }
  if (spec.type === 'number') {
    const value = parseNumber(flag, raw);
    if (spec.min !== undefined && value < spec.min)
      throw new UsageError(`Option --${flag} must be ≥ ${spec.min}`);
    if (spec.max !== undefined && value > spec.max)
      throw new UsageError(`Option --${flag} must be ≤ ${spec.max}`);
    return value;
  }
  const items = raw.split(',').filter((item) => item.trim().length > 0);
  if (items.length === 0) throw new UsageError(`Option --${flag} needs a comma-separated list of numbers`);
  return items.map((item) => parseNumber(flag, item));
}

function parseNumber(flag: string, raw: string): number {
  // Accept 1e6 and 1_000_000 as well as plain digits: sizes on the command line are often large.
  const value = Number(raw.trim().replaceAll('_', ''));
  if (raw.trim() === '' || !Number.isFinite(value))
    throw new UsageError(`Option --${flag} expects a number, got "${raw}"`);
  return value;
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
