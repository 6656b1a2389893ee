import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatOptions, parseArguments, UsageError } from '../args';
import type { CommandIo } from '../commands/command-io';
import { buildReport } from './build-report';
import { readReportInput } from './read-report-input';
import { SECTION_TITLES } from './report-section';

const options = {
  out: {
    type: 'string',
    description: 'Where to write the HTML page',
    default: 'report.html',
    valueName: 'file',
  },
} as const;

export const reportHelp = `Usage: tokenomics report <file> [options]

Reads a cost ledger (JSON lines, as createJsonlLedgerSink writes it) or the JSON of any
benchmark (bench cache, compression, routing, the end-to-end run) and writes one
self-contained HTML page: inline SVG charts, no script, nothing fetched. Charts the file has
no data for say so instead.

Options:
${formatOptions(options)}`;

export async function reportCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseArguments(argv, options);
  if (parsed.help) {
    io.out(reportHelp);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError('Missing the input: tokenomics report <ledger.jsonl | bench.json>');
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
  const input = await readReportInput(file);
  const { html, page } = buildReport(input);
  const out = resolve(parsed.options.out ?? 'report.html');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, html);
  for (const section of page.sections) {
    io.err(
      `${section.chart ? 'drawn  ' : 'missing'} ${SECTION_TITLES[section.id]}${section.chart ? '' : `: ${section.note ?? ''}`}`,
    );
  }
  io.out(`wrote ${out}`);
  return 0;
}
