import { escapeXml } from './escape-xml';
import { type ReportSection, SECTION_TITLES } from './report-section';
import { REPORT_STYLE } from './report-style';

export type ReportPage = {
  title: string;
  /** What was read, e.g. "ledger: 1,204 calls" or "benchmark JSON". */
  source: string;
  /** The command that produced the input, when the input names one. */
  command?: string;
  generatedAt: Date;
  sections: readonly ReportSection[];
};

/** One self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderReportHtml(page: ReportPage): string {
  const drawn = page.sections.filter((section) => section.chart).length;
  // Drawn charts first; the ones the file has no data for are listed together at the end.
  const sections = page.sections
    .filter((section) => section.chart)
    .map(renderSection)
    .join('\n');
  const missing = renderMissing(page.sections.filter((section) => !section.chart));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(page.title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeXml(page.title)}</h1>
<p class="source">${escapeXml(page.source)} · ${drawn} of ${page.sections.length} charts drawn · generated ${escapeXml(page.generatedAt.toISOString())}</p>
${page.command ? `<p class="source">Produced by <code>${escapeXml(page.command)}</code></p>` : ''}
</header>
<main>
${sections}
${missing}
</main>
<footer>Written by <code>tokenomics report</code>. Every chart is drawn from the file above; nothing is estimated or fetched.</footer>
</body>
</html>
`;
}

function renderSection(section: ReportSection): string {
  const facts = section.facts?.length
    ? `<ul class="facts">${section.facts.map((fact) => `<li>${escapeXml(fact)}</li>`).join('')}</ul>`
    : '';
  const note = section.note ? `<p class="note">${withCode(section.note)}</p>` : '';
  return `<section id="${section.id}" data-status="drawn">
<h2>${escapeXml(SECTION_TITLES[section.id])}</h2>
<figure>${section.chart}</figure>${facts}${note}
</section>`;
}

function renderMissing(sections: readonly ReportSection[]): string {
  if (sections.length === 0) return '';
  const entries = sections.map(
    (section) =>
      `<div id="${section.id}" data-status="missing"><dt>${escapeXml(SECTION_TITLES[section.id])}</dt><dd>${withCode(section.note ?? 'No data in this file.')}</dd></div>`,
  );
  return `<section class="missing-list" data-status="missing"><h2>Not in this file</h2><dl>${entries.join('')}</dl></section>`;
}

/** Escapes a sentence and shows its `backquoted` commands as code. */
function withCode(text: string): string {
  return escapeXml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}
