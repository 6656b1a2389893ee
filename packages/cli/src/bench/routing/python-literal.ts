/**
 * Reads a Python literal list of strings as `repr` writes it (RouterBench stores each prompt and
 * response as `['text']`): single- or double-quoted strings with backslash escapes. Returns
 * undefined when the text is not such a list, so a caller can keep the text as it is.
 */
export function parsePythonStringList(text: string): string[] | undefined {
  const source = text.trim();
  if (!source.startsWith('[') || !source.endsWith(']')) return undefined;
  const items: string[] = [];
  let position = skipSpaces(source, 1);
  while (source[position] !== ']') {
    const parsed = readString(source, position);
    if (!parsed) return undefined;
    items.push(parsed.value);
    position = skipSpaces(source, parsed.end);
    if (source[position] === ',') position = skipSpaces(source, position + 1);
    else if (source[position] !== ']') return undefined;
  }
  return position === source.length - 1 ? items : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function readString(source: string, start: number): { value: string; end: number } | undefined {
  const quote = source[start];
  if (quote !== "'" && quote !== '"') return undefined;
  let value = '';
  let position = start + 1;
  while (position < source.length) {
    const character = source[position] as string;
    if (character === quote) return { value, end: position + 1 };
    if (character !== '\\') {
      value += character;
      position++;
      continue;
    }
    const escaped = source[position + 1] ?? '';
    const digits = { x: 2, u: 4, U: 8 }[escaped as 'x' | 'u' | 'U'];
    if (digits !== undefined) {
      const code = Number.parseInt(source.slice(position + 2, position + 2 + digits), 16);
      if (!Number.isFinite(code)) return undefined;
      value += String.fromCodePoint(code);
      position += 2 + digits;
    } else {
      value += SIMPLE_ESCAPES[escaped] ?? `\\${escaped}`;
      position += 2;
    }
  }
  return undefined;
}

function skipSpaces(source: string, position: number): number {
  let current = position;
  while (current < source.length && /\s/.test(source[current] as string)) current++;
  return current;
}
