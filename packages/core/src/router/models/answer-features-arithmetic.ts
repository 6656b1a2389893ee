/** One calculation an answer shows: `a op b op c = d` in its text or a `<<expr=result>>` annotation. */
export type ShownCalculation = {
  /** The numbers the expression combines, in order (a percentage as written, `60%` → 60). */
  operands: number[];
  /** The result the answer claims. */
  claimed: number;
  /** The expression's value; undefined when it cannot be evaluated (division by zero, odd syntax). */
  computed: number | undefined;
  /** For an annotation `<<expr=r>>`, the number written right after it, when there is one. */
  written?: number;
};

// Every repetition is bounded so a long run of digits, commas or operators without an `=` is
// scanned in linear time (unbounded nesting made a 20,000-character answer take over a second).
const SPACE = '[ \\t]{0,4}';
const NUMBER_SOURCE = String.raw`\$?\d[\d,]{0,15}(?:\.\d{1,8})?%?`;
const OPERATOR_SOURCE = String.raw`[+\-*/x×÷]`;
const OPEN = `(?:\\(${SPACE}){0,3}`;
const CLOSE = `(?:${SPACE}\\)){0,3}`;
// A plain-text chain: at least one operator between numbers (parentheses allowed), then "= result"
// (not a fraction: `= 2/3` is not a claimed 2).
const TEXT_CALCULATION = new RegExp(
  `(${OPEN}-?${NUMBER_SOURCE}${CLOSE}(?:${SPACE}${OPERATOR_SOURCE}${SPACE}${OPEN}${NUMBER_SOURCE}${CLOSE}){1,16})${SPACE}=${SPACE}\\$?(-?\\d[\\d,]{0,15}(?:\\.\\d{1,8})?)(?!\\d|[,.]\\d|\\s*\\/\\s*\\d)`,
  'g',
);
const ANNOTATION = /<<([^<>=]+)=([^<>]+)>>\s*\$?(-?\d[\d,]*(?:\.\d+)?)?/g;

/**
 * Every calculation an answer shows, annotations first and then the plain-text chains outside
 * them, each with the value its expression really has. The backslash Markdown puts before `*` is
 * dropped first (`3 \* 4`).
 */
export function shownCalculations(answer: string): ShownCalculation[] {
  const text = answer.replace(/\\([*_])/g, '$1');
  const calculations: ShownCalculation[] = [];
  for (const match of text.matchAll(ANNOTATION)) {
    const claimed = evaluateArithmetic(match[2]!);
    if (claimed === undefined) continue;
    const calculation: ShownCalculation = {
      operands: operandsOf(match[1]!),
      claimed,
      computed: evaluateArithmetic(match[1]!),
    };
    if (match[3] !== undefined) calculation.written = toNumber(match[3]);
    calculations.push(calculation);
  }
  const outside = text.replace(/<<[^<>]*>>/g, ' ');
  for (const match of outside.matchAll(TEXT_CALCULATION)) {
    calculations.push({
      operands: operandsOf(match[1]!),
      claimed: toNumber(match[2]!),
      computed: evaluateArithmetic(match[1]!),
    });
  }
  return calculations;
}

/** Whether a claimed result matches the computed one (1% or one rounding step off is still right). */
export function calculationHolds(calculation: ShownCalculation): boolean | undefined {
  const { computed, claimed } = calculation;
  if (computed === undefined || !Number.isFinite(computed)) return undefined;
  const tolerance = Math.max(0.01, Math.abs(computed) * 0.01);
  return Math.abs(computed - claimed) <= tolerance || Math.round(computed) === claimed;
}

/**
 * The value of `+ - * / x × ÷` arithmetic with parentheses and percentages (`60%` is 0.6), or
 * undefined when the text is not such an expression. A small recursive-descent parser: no `eval`.
 */
export function evaluateArithmetic(expression: string): number | undefined {
  const tokens = expression
    .replace(/\\([*_])/g, '$1')
    .replace(/[$\s]/g, '')
    .match(/\d[\d,]*(?:\.\d+)?%?|\.\d+%?|[+\-*/x×÷()]/g);
  if (!tokens || tokens.join('') !== expression.replace(/\\([*_])/g, '$1').replace(/[$\s]/g, '')) {
    return undefined;
  }
  let position = 0;
  const peek = () => tokens[position];
  const sum = (): number | undefined => {
    let value = product();
    while (value !== undefined && (peek() === '+' || peek() === '-')) {
      const operator = tokens[position++];
      const right = product();
      if (right === undefined) return undefined;
      value = operator === '+' ? value + right : value - right;
    }
    return value;
  };
  const product = (): number | undefined => {
    let value = unary();
    while (value !== undefined && ['*', 'x', '×', '/', '÷'].includes(peek() ?? '')) {
      const operator = tokens[position++]!;
      const right = unary();
      if (right === undefined) return undefined;
      if (operator === '/' || operator === '÷') {
        if (right === 0) return undefined;
        value /= right;
      } else value *= right;
    }
    return value;
  };
  const unary = (): number | undefined => {
    if (peek() === '-') {
      position++;
      const value = unary();
      return value === undefined ? undefined : -value;
    }
    if (peek() === '(') {
      position++;
      const value = sum();
      if (tokens[position++] !== ')') return undefined;
      return value;
    }
    const token = tokens[position++];
    if (token === undefined || !/^[\d.]/.test(token)) return undefined;
    const number = toNumber(token.replace('%', ''));
    return token.endsWith('%') ? number / 100 : number;
  };
  const value = sum();
  return position === tokens.length && value !== undefined && Number.isFinite(value) ? value : undefined;
}

function operandsOf(expression: string): number[] {
  return [...expression.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((match) => toNumber(match[0]));
}

function toNumber(text: string): number {
  return Number(text.replace(/[$,]/g, ''));
}
