/**
 * README code blocks as programs. Every ```ts block is a program that is type-checked and run,
 * unless an HTML comment on the line above says otherwise (invisible on npm and GitHub):
 *
 * - `<!-- snippet: continues -->` — the block goes on from the one before it (same README): the
 *   two are checked as one program, and the earlier one is not run on its own;
 * - `<!-- snippet: typecheck-only (why) -->` — type-checked, not run (it needs a server);
 * - `<!-- snippet: model-calls=N -->` — run, and it must reach the model exactly N times
 *   (so "the second call is a cache hit" is checked, not just claimed).
 *
 * ```sh blocks give what the README tells users to install (`pnpm add …`, `npm install …`).
 */
export type Snippet = {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the block's opening fence (of its first block, when it continues others). */
  line: number;
  code: string;
  run: boolean;
  /** Why it is not run, for a `typecheck-only` block. */
  reason?: string;
  expectedModelCalls?: number;
};

const FENCE = /^```(\w*)\s*$/;
const MARKER = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

export function extractSnippets(markdown: string, readme: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const block of codeBlocks(markdown)) {
    if (block.language !== 'ts') continue;
    const marker = block.marker ?? '';
    const previous = snippets.at(-1);
    if (marker === 'continues') {
      if (!previous) throw new Error(`${readme}:${block.line}: "continues" with no block before it`);
      previous.code += `\n${block.code}`;
      continue;
    }
    const snippet: Snippet = { readme, line: block.line, code: block.code, run: true };
    const typecheckOnly = /^typecheck-only\s*(.*)$/.exec(marker);
    const modelCalls = /^model-calls=(\d+)$/.exec(marker);
    if (typecheckOnly) {
      snippet.run = false;
      snippet.reason = typecheckOnly[1]?.replace(/^\(|\)$/g, '') || 'typecheck-only';
    } else if (modelCalls) snippet.expectedModelCalls = Number(modelCalls[1]);
    else if (marker !== '') throw new Error(`${readme}:${block.line}: unknown snippet marker "${marker}"`);
    snippets.push(snippet);
  }
  return snippets;
}

/** Package names the README's shell blocks install, in order, without duplicates. */
export function installedPackages(markdown: string): string[] {
  const names = new Set<string>();
  for (const block of codeBlocks(markdown)) {
    if (block.language !== 'sh') continue;
    for (const line of block.code.split('\n')) {
      const command = line.replace(/#.*$/, '').trim();
      const match = /^(?:pnpm add|npm install|npm i|yarn add)\s+(.*)$/.exec(command);
      if (!match?.[1] || /(?:^|\s)(?:-g|--global)(?:\s|$)/.test(match[1])) continue; // global tools are not the app's
      for (const word of match[1].split(/\s+/))
        if (word && !word.startsWith('-')) names.add(packageName(word));
    }
  }
  return [...names];
}

/** `zod@^4` → `zod`, `@scope/name@1` → `@scope/name`. */
export function packageName(specifier: string): string {
  const at = specifier.indexOf('@', 1);
  return at === -1 ? specifier : specifier.slice(0, at);
}

/** Bare module names a program imports (`node:` built-ins and relative paths left out). */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)) {
    const specifier = match[1]!;
    if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names];
}

type CodeBlock = { language: string; line: number; code: string; marker?: string };

function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && line.trimEnd() === '```');
    if (end === -1) break;
    const marker = MARKER.exec(lines[index - 1]?.trim() ?? '')?.[1];
    const block: CodeBlock = {
      language: open[1] ?? '',
      line: index + 1,
      code: lines.slice(index + 1, end).join('\n'),
    };
    if (marker !== undefined) block.marker = marker;
    blocks.push(block);
    index = end;
  }
  return blocks;
}
