import { basename } from 'node:path';
import { benchmarkSections } from './benchmark-sections';
import { ledgerSections } from './ledger-sections';
import { stringAt } from './loose-json';
import type { ReportInput } from './read-report-input';
import { type ReportPage, renderReportHtml } from './render-report-html';

/** The report page for a ledger or a benchmark's JSON, as one self-contained HTML string. */
export function buildReport(
  input: ReportInput,
  options: { now?: Date } = {},
): { html: string; page: ReportPage } {
  const page: ReportPage =
    input.kind === 'ledger'
      ? {
          title: `Tokenomics report: ${basename(input.file)}`,
          source: `Cost ledger ${input.file}, ${input.records.length.toLocaleString('en-US')} calls`,
          generatedAt: options.now ?? new Date(),
          sections: ledgerSections(input.records, input.skippedLines),
        }
      : {
          title: `Tokenomics report: ${basename(input.file)}`,
          source: `Benchmark output ${input.file}`,
          command: stringAt(input.value, 'command'),
          generatedAt: options.now ?? new Date(),
          sections: benchmarkSections(input.value),
        };
  return { html: renderReportHtml(page), page };
}
