/** The report's and the playground's CSS: light and dark, readable on a phone, printable. */
export const REPORT_STYLE = `
:root { color-scheme: light dark; --ink: #1d2433; --muted: #5b6475; --line: #d8dde6; --panel: #ffffff; --page: #f4f6fa; --accent: #0072b2; }
@media (prefers-color-scheme: dark) { :root { --ink: #e6e9ef; --muted: #a3abb9; --line: #3a4150; --panel: #1c212b; --page: #12161d; --accent: #56b4e9; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--page); }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 28px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 0 0 12px; }
.source, footer, .note { color: var(--muted); }
main { display: grid; gap: 20px; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); padding-top: 16px; padding-bottom: 16px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; min-width: 0; }
section.missing-list { border-style: dashed; }
figure { margin: 0; }
.facts { margin: 8px 0 0; padding-left: 18px; }
footer { padding-bottom: 28px; font-size: 0.85rem; }
code { overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.9em; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .plot-border { fill: none; stroke: var(--line); }
svg.chart .tick, svg.chart .category { fill: var(--muted); font-size: 12px; }
svg.chart .axis-label { fill: var(--ink); font-size: 13px; }
svg.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; }
svg.chart .zero { stroke: var(--muted); }
svg.chart .point { stroke: var(--panel); stroke-width: 1; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0 0; font-size: 0.85rem; }
.legend .swatch { display: inline-block; width: 18px; height: 0; border-top: 3px solid var(--swatch); margin-right: 6px; vertical-align: middle; }
.legend .swatch.dashed { border-top-style: dashed; }
.legend .swatch.dot { width: 9px; height: 9px; border: 0; border-radius: 50%; background: var(--swatch); margin: 0 10px 0 4px; }
.missing-list { grid-column: 1 / -1; }
.missing-list dt { font-weight: 600; }
.missing-list dd { margin: 0 0 8px; color: var(--muted); }
@media print { body { background: #fff; } section { break-inside: avoid; } }
`;
