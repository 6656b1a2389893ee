/**
 * Finds code and configuration that carry no fence: a run of lines where every line looks like
 * code, a YAML key, a list item or is indented. Such a run is one block: its indentation is its
 * meaning (Python, YAML), so it is never cut into or re-spaced.
 */

/** Lines that only code starts or ends with (Python, JavaScript/TypeScript, C-like, SQL, shell). */
const CODE_LINE = new RegExp(
  [
    String.raw`^\s*(?:def|class|import|async\s+def|elif|except|raise|yield|lambda|return)\b`,
    String.raw`^\s*from\s+[\w.]+\s+import\b`,
    String.raw`^\s*(?:else|try|finally)\s*:\s*$`,
    String.raw`^\s*(?:if|for|while|with)\s.*:\s*(?:#.*)?$`,
    String.raw`^\s*(?:pass|break|continue)\s*$`,
    String.raw`^\s*(?:function|const|let|var|export|public|private|protected|static|package|fn|func|interface|using|namespace|struct|enum|impl)\s+[\w{*<[]`,
    String.raw`^\s*#(?:include|define|if|endif|pragma)\b`,
    String.raw`[;{]\s*$`,
    String.raw`^\s*[}\])]+[;,)]*\s*$`,
    String.raw`^\s*[A-Za-z_$][\w.$]*(?:\[[^\]]*\])?\s*(?:[-+*/%|&^]|\*\*|//)?=\s*[^=\s]`,
    String.raw`^\s*[A-Za-z_$][\w.$]*\(.*\)\s*;?\s*$`,
    String.raw`^\s*(?://|/\*|\*/|#!)`,
    String.raw`^\s*(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\s`,
    String.raw`^\s*\$\s+\S`,
  ].join('|'),
);
const YAML_KEY = /^\s*(?:-\s+)?["']?[\w./-]+["']?\s*:(?:\s|$)/;
const LIST_ITEM = /^\s*-\s+\S/;
const INDENTED = /^(?: {2,}|\t)\S/;

/**
 * The structured run starting at line `first`: its last line, and whether it is a block. A
 * block needs two non-blank lines and either a line only code has, or an indented line under a
 * YAML key. A run that is not a block has no later start that is one (its lines only lose
 * features), so the caller can skip testing them: that keeps the split linear.
 */
export function structuredRun(
  lineAt: (index: number) => string,
  first: number,
  lineCount: number,
): { last: number; isBlock: boolean } {
  if (!startsRun(lineAt(first))) return { last: first, isBlock: false };
  let last = first;
  let lines = 1;
  let code = CODE_LINE.test(lineAt(first));
  let indented = false;
  let yamlKey = YAML_KEY.test(lineAt(first));
  for (let index = first + 1; index < lineCount; index += 1) {
    const line = lineAt(index);
    if (line.trim().length === 0) continue;
    if (!continuesRun(line)) break;
    // A blank line inside the run belongs to it only when the run goes on after it.
    last = index;
    lines += 1;
    code ||= CODE_LINE.test(line);
    indented ||= INDENTED.test(line);
    yamlKey ||= YAML_KEY.test(line);
  }
  return { last, isBlock: lines >= 2 && (code || (indented && yamlKey)) };
}

function startsRun(line: string): boolean {
  return CODE_LINE.test(line) || YAML_KEY.test(line) || INDENTED.test(line);
}

function continuesRun(line: string): boolean {
  return startsRun(line) || LIST_ITEM.test(line) || /^\s*#/.test(line);
}
