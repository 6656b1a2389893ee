import { escapeXml } from '../report/escape-xml';
import { REPORT_STYLE } from '../report/report-style';
import type { PlaygroundMode } from './playground-turn';

const EXAMPLES = [
  'How do I reset my password?',
  'how do I reset my password',
  'Prove that the square root of 2 is irrational.',
  `Context:\n${Array.from({ length: 24 }, (_, index) => `[${index + 1}] ${index === 6 ? 'The Eiffel Tower was completed in March 1889 for the World Fair in Paris.' : `Paris has many monuments; document ${index + 1} describes museums, parks, bridges and cafés along the Seine in some detail, with opening hours and ticket prices for visitors.`}`).join('\n')}\n\nQuestion: When was the Eiffel Tower completed?`,
];

const PAGE_STYLE = `
main.playground { grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); }
@media (max-width: 900px) { main.playground { grid-template-columns: 1fr; } }
.banner { border-radius: 8px; padding: 10px 14px; margin: 12px 0 0; font-weight: 600; }
.banner.offline { background: #fff4d6; color: #6b4e00; border: 1px solid #e6c364; }
.banner.openai { background: #dff3e8; color: #0b5130; border: 1px solid #7cc49c; }
textarea { width: 100%; min-height: 120px; font: inherit; padding: 10px; border-radius: 8px; border: 1px solid var(--line); background: var(--page); color: var(--ink); }
button { font: inherit; padding: 8px 16px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.example { background: transparent; color: var(--accent); padding: 4px 10px; font-size: 0.85rem; margin: 6px 6px 0 0; }
button:disabled { opacity: 0.6; cursor: wait; }
.row { display: flex; gap: 10px; align-items: center; margin-top: 10px; flex-wrap: wrap; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 0.85rem; font-weight: 600; border: 1px solid var(--line); }
.badge.hit { background: #dff3e8; color: #0b5130; }
.badge.miss, .badge.bypass { background: #eef1f6; color: #394150; }
.answer { white-space: pre-wrap; background: var(--page); border-radius: 8px; padding: 10px; margin: 10px 0; }
table { width: 100%; border-collapse: collapse; font-size: 0.85rem; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.details { font-family: ui-monospace, monospace; font-size: 0.78rem; color: var(--muted); overflow-wrap: anywhere; }
dl.numbers { display: grid; grid-template-columns: auto 1fr; gap: 4px 14px; margin: 0; }
dl.numbers dt { color: var(--muted); }
dl.numbers dd { margin: 0; font-variant-numeric: tabular-nums; }
.error { color: #b00020; font-weight: 600; }
`;

/** The playground's page: inline CSS and script (allowed by a per-response nonce), nothing fetched but the API. */
export function playgroundPage(options: {
  nonce: string;
  mode: PlaygroundMode;
  ledgerFile?: string;
}): string {
  const banner =
    options.mode === 'offline'
      ? 'Offline stand-in: answers are fixed text, not model output (OPENAI_API_KEY is not set). Costs are what gpt-4o-mini and gpt-4o would charge for the same tokens. The stand-in cheap tier hedges on prompts asking for a proof, so the cascade escalates them.'
      : 'Live: prompts go to OpenAI (gpt-4o-mini, escalated to gpt-4o when the answer looks weak), and are billed to your key.';
  const examples = EXAMPLES.map(
    (example) =>
      `<button type="button" class="example" data-example="${escapeXml(example)}">${escapeXml(example.split('\n')[0]!.slice(0, 48))}${example.length > 48 ? '…' : ''}</button>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tokenomics playground</title>
<style>${REPORT_STYLE}${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Tokenomics playground</h1>
<p class="banner ${options.mode}" id="mode" data-mode="${options.mode}">${escapeXml(banner)}</p>
</header>
<main class="playground">
<section id="ask">
<h2>Prompt</h2>
<form id="prompt-form">
<textarea id="prompt" name="prompt" placeholder="Ask something, then ask it again in other words"></textarea>
<div class="row"><button type="submit" id="send">Send</button><span id="status" role="status"></span></div>
</form>
<div>${examples}</div>
<div id="turn" hidden>
<h2 style="margin-top:18px">Answer</h2>
<div class="row"><span class="badge" id="cache-status"></span><span id="model"></span></div>
<div class="answer" id="answer"></div>
<dl class="numbers">
<dt>cost</dt><dd id="cost"></dd>
<dt>baseline</dt><dd id="baseline"></dd>
<dt>saved</dt><dd id="saved"></dd>
<dt>latency</dt><dd id="latency"></dd>
</dl>
<h2 style="margin-top:18px">Trace: each stage's decision and why</h2>
<table><thead><tr><th>stage</th><th>decision</th><th>why</th><th>details</th></tr></thead><tbody id="steps"></tbody></table>
</div>
</section>
<section id="savings">
<h2>Running savings</h2>
<dl class="numbers"><dt>prompts</dt><dd id="turns">0</dd><dt>spent</dt><dd id="total-spent">$0</dd><dt>baseline</dt><dd id="total-baseline">$0</dd><dt>saved</dt><dd id="total-saved">0%</dd></dl>
<div id="running-chart"></div>
<h2 style="margin-top:18px">Savings by stage</h2>
<div id="stage-chart"></div>
${options.ledgerFile ? `<p class="note">Every prompt is appended to the ledger <code>${escapeXml(options.ledgerFile)}</code>: <code>pnpm tokenomics report ${escapeXml(options.ledgerFile)}</code> charts it.</p>` : ''}
</section>
</main>
<script nonce="${options.nonce}">${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

const CLIENT_SCRIPT = `
const $ = (id) => document.getElementById(id);
const dollars = (value) => value === 0 ? '$0' : '$' + (Math.abs(value) >= 0.01 ? value.toFixed(4) : value.toPrecision(3));
function showState(state) {
  const totals = state.totals;
  $('turns').textContent = String(totals.turns);
  $('total-spent').textContent = dollars(totals.dollars);
  $('total-baseline').textContent = dollars(totals.baselineDollars);
  const share = totals.baselineDollars > 0 ? 1 - totals.dollars / totals.baselineDollars : 0;
  $('total-saved').textContent = dollars(totals.baselineDollars - totals.dollars) + ' (' + (share * 100).toFixed(1) + '%)';
  // Server-rendered SVG: every text in it is escaped there.
  $('running-chart').innerHTML = state.charts.running;
  $('stage-chart').innerHTML = state.charts.byStage;
}
function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}
function showTurn(turn) {
  $('turn').hidden = false;
  const hit = turn.cache.endsWith('hit');
  $('cache-status').textContent = 'cache: ' + turn.cache;
  $('cache-status').className = 'badge ' + (hit ? 'hit' : turn.cache);
  $('model').textContent = hit ? 'answered from the cache (stored from ' + turn.model + ')' : 'answered by ' + turn.model;
  $('answer').textContent = turn.answer;
  $('cost').textContent = dollars(turn.dollars);
  $('baseline').textContent = dollars(turn.baselineDollars);
  const saved = turn.savedByStage;
  $('saved').textContent = dollars(turn.baselineDollars - turn.dollars) + ' (cache ' + dollars(saved.cache) + ', compression ' + dollars(saved.compression) + ', routing ' + dollars(saved.routing) + ')';
  $('latency').textContent = turn.latencyMs + ' ms';
  const body = $('steps');
  body.replaceChildren();
  for (const step of turn.steps) {
    const row = document.createElement('tr');
    row.dataset.stage = step.stage;
    cell(row, step.stage);
    cell(row, step.decision);
    cell(row, step.reason || '');
    cell(row, step.details ? JSON.stringify(step.details) : '', 'details');
    body.appendChild(row);
  }
}
async function send(prompt) {
  $('send').disabled = true;
  $('status').className = '';
  $('status').textContent = 'running…';
  try {
    const response = await fetch('/api/prompt', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt }) });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    showTurn(body.turn);
    showState(body);
    $('status').textContent = 'done';
  } catch (error) {
    $('status').className = 'error';
    $('status').textContent = error.message;
  } finally {
    $('send').disabled = false;
  }
}
$('prompt-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  if (prompt) send(prompt);
});
for (const button of document.querySelectorAll('button.example')) {
  button.addEventListener('click', () => { $('prompt').value = button.dataset.example; $('prompt').focus(); });
}
fetch('/api/state').then((response) => response.json()).then(showState, (error) => { $('status').textContent = error.message; });
`;
