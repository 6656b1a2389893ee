import { writeFile } from 'node:fs/promises';
import { formatOptions, parseArguments, UsageError } from '../args';
import { convertGptCachePairs, formatLabelledPairs, readGptCacheFile } from '../datasets';
import type { CommandIo } from './command-io';

const options = {
  negatives: {
    type: 'boolean',
    description:
      'Also write one should-miss pair per record (label 0): the most word-overlapping other question',
  },
  out: { type: 'string', description: 'Write the JSONL here instead of stdout', valueName: 'file' },
} as const;

export const convertHelp = `Usage: tokenomics convert gptcache <mock_data.json> [options]

Converts GPTCache's benchmark file ([{origin, similar}], every pair a paraphrase) to labelled
pairs JSONL ({"a", "b", "label"}) for \`tokenomics bench cache --pairs\`.

Options:
${formatOptions(options)}`;

export async function convertCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(convertHelp);
    return 0;
  }
  const [format, input, ...extra] = parsed.positionals;
  if (format !== 'gptcache') throw new UsageError(`Unknown format "${format ?? ''}"; supported: gptcache`);
  if (!input) throw new UsageError('Missing the GPTCache file: tokenomics convert gptcache <mock_data.json>');
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
  const pairs = convertGptCachePairs(await readGptCacheFile(input), { negatives: parsed.options.negatives });
  const text = formatLabelledPairs(pairs);
  if (parsed.options.out) {
    await writeFile(parsed.options.out, text);
    const negatives = pairs.filter((pair) => pair.label === 0).length;
    io.err(
      `wrote ${pairs.length} pairs (${pairs.length - negatives} should hit, ${negatives} should miss) to ${parsed.options.out}`,
    );
  } else io.out(text);
  return 0;
}
