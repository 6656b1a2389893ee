import { calculationHolds, shownCalculations } from './answer-features-arithmetic';

/** Names of the answer scorer's input, in order. */
export const ANSWER_FEATURE_NAMES = [
  'log-answer-characters',
  'log-answer-lines',
  'empty',
  'final-marker',
  'ends-with-number',
  'final-is-integer',
  'final-is-negative',
  'final-in-prompt',
  'final-equals-last-result',
  'log-equations',
  'equations-wrong-share',
  'equations-unchecked-share',
  'hedging',
  'self-correction',
  'refusal',
  'rounding',
  'truncated',
  'numbers-new-share',
  'log-prompt-characters',
  'log-prompt-numbers',
  'answer-to-prompt-length',
  'prompt-numbers-used-share',
  'final-magnitude-vs-prompt',
  'final-has-decimals',
  'prompt-ratios',
  'steps-per-quantity',
  'log-calculations',
  'calculations-wrong-share',
  'annotation-text-mismatch',
  'ungrounded-operands-share',
  'dangling-results-share',
  'final-from-calculation',
  'final-statements-disagree',
  'final-line-has-words',
  'count-question-fractional',
  'question-comparison',
  'question-rate',
  'prompt-word-numbers',
] as const;

export const ANSWER_FEATURE_COUNT = ANSWER_FEATURE_NAMES.length;

const NUMBER = /-?\d[\d,]*(?:\.\d+)?/g;
const FINAL_MARKER = /####|\bthe (?:final )?answer is\b|\\boxed\{|\banswer:\s/i;
const HEDGING =
  /\b(?:maybe|perhaps|might|possibly|probably|approximately|assum(?:e|ing)|unclear|not sure|estimate)\b/gi;
const SELF_CORRECTION =
  /\b(?:wait|actually|however|mistake|re-?calculate|let me re|correction|oops|instead)\b/gi;
const REFUSAL =
  /\b(?:i can(?:no|')t|i am unable|i'm unable|cannot be determined|not enough information|impossible to)\b/i;
const ROUNDING = /\b(?:round(?:ed|ing)?|can'?t have (?:half|a fraction)|whole number)\b/i;
const RATIO_WORDS = /%|\bpercent\b|\bhalf\b|\bthird\b|\bquarter\b|\btwice\b|\bper\b|\bfraction\b|\d+\/\d+/gi;
// "a op b = c", with GSM8K's calculator annotations `<<a*b=c>>` as one case.
// Numbers are bounded in length so a long digit run is scanned in linear time, not quadratic.
const EQUATION =
  /(-?\d[\d,]{0,15}(?:\.\d{1,8})?)\s*([+\-*/x×÷])\s*(-?\d[\d,]{0,15}(?:\.\d{1,8})?)\s*=\s*\$?(-?\d[\d,]{0,15}(?:\.\d{1,8})?)/g;

/**
 * Features of a model's answer that say whether it is likely right, from the text alone: is
 * there a final answer and in what form, does the arithmetic it shows check out, does it hedge,
 * correct itself, refuse or stop mid-way, how much new numeric work it does. Cheap (a few regex
 * scans); computed the same way in training and at run time.
 */
export function answerFeatures(prompt: string, answer: string): Float64Array {
  const features = new Float64Array(ANSWER_FEATURE_COUNT);
  const text = answer.trim();
  const answerNumbers = numbersIn(text);
  const promptNumbers = new Set(numbersIn(prompt));
  const final = finalAnswer(text);
  const equations = [...text.matchAll(EQUATION)];
  let wrong = 0;
  let unchecked = 0;
  let lastResult: number | undefined;
  for (const equation of equations) {
    const left = toNumber(equation[1]!);
    const right = toNumber(equation[3]!);
    const result = toNumber(equation[4]!);
    lastResult = result;
    const expected = applyOperator(left, equation[2]!, right);
    if (expected === undefined || !Number.isFinite(expected)) unchecked++;
    else if (Math.abs(expected - result) > Math.max(0.01, Math.abs(expected) * 0.005)) wrong++;
  }
  const newNumbers = answerNumbers.filter((value) => !promptNumbers.has(value)).length;
  features[0] = Math.log1p(text.length) / 10;
  features[1] = Math.log1p(text.split('\n').length) / 5;
  features[2] = text.length === 0 ? 1 : 0;
  features[3] = FINAL_MARKER.test(text) ? 1 : 0;
  features[4] = /-?\d[\d,]*(?:\.\d+)?\s*\.?\s*$/.test(text) ? 1 : 0;
  features[5] = final !== undefined && Number.isInteger(final) ? 1 : 0;
  features[6] = final !== undefined && final < 0 ? 1 : 0;
  features[7] = final !== undefined && promptNumbers.has(final) ? 1 : 0;
  features[8] =
    final !== undefined && lastResult !== undefined && Math.abs(final - lastResult) < 1e-9 ? 1 : 0;
  features[9] = Math.log1p(equations.length) / 3;
  features[10] = equations.length > 0 ? wrong / equations.length : 0;
  features[11] = equations.length > 0 ? unchecked / equations.length : 0;
  features[12] = Math.min(1, countMatches(HEDGING, text) / 3);
  features[13] = Math.min(1, countMatches(SELF_CORRECTION, text) / 3);
  features[14] = REFUSAL.test(text) ? 1 : 0;
  features[15] = ROUNDING.test(text) ? 1 : 0;
  features[16] = text.length > 0 && final === undefined && !/[.!?)\]]\s*$/.test(text) ? 1 : 0;
  features[17] = answerNumbers.length > 0 ? newNumbers / answerNumbers.length : 0;
  features[18] = Math.log1p(prompt.length) / 10;
  features[19] = Math.log1p(promptNumbers.size) / 3;
  features[20] = Math.min(5, text.length / Math.max(1, prompt.length)) / 5;
  // A solution that never uses one of the problem's quantities has often skipped a step.
  const answerSet = new Set(answerNumbers);
  features[21] =
    promptNumbers.size > 0
      ? [...promptNumbers].filter((value) => answerSet.has(value)).length / promptNumbers.size
      : 1;
  const largestPromptNumber = Math.max(1, ...[...promptNumbers].map(Math.abs));
  features[22] =
    final === undefined
      ? 0
      : Math.max(-3, Math.min(3, Math.log10((Math.abs(final) + 1) / largestPromptNumber))) / 3;
  features[23] = final !== undefined && !Number.isInteger(final) ? 1 : 0;
  // Percentages, fractions and rates are where multi-step word problems most often go wrong.
  features[24] = Math.min(1, countMatches(RATIO_WORDS, prompt) / 3);
  features[25] = Math.min(3, equations.length / Math.max(1, promptNumbers.size)) / 3;
  calculationFeatures(prompt, text, final, promptNumbers, features);
  questionFeatures(prompt, text, final, features);
  return features;
}

// Constants a worked answer may bring in without the problem stating them (units, percent, halves).
const COMMON_CONSTANTS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 24, 30, 31, 52, 60, 100, 365, 1000]);
const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  half: 0.5,
  twice: 2,
  double: 2,
  triple: 3,
  thrice: 3,
  dozen: 12,
  quarter: 0.25,
  third: 3,
};
const WORD_NUMBER = new RegExp(`\\b(?:${Object.keys(WORD_NUMBERS).join('|')})s?\\b`, 'gi');
const FINAL_STATEMENT =
  /(?:####|answer is|\\boxed\{|total (?:of|is)|in total,?)\s*:?\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/gi;

/**
 * What the shown calculations say: do they hold (whole expressions, not only `a op b`), does the
 * text after each calculator annotation repeat its result, do operands come from the problem or
 * from earlier results (an operand from nowhere is often a misread quantity), are results left
 * unused (a path abandoned), and is the final answer one of the computed results.
 */
function calculationFeatures(
  prompt: string,
  text: string,
  final: number | undefined,
  promptNumbers: ReadonlySet<number>,
  features: Float64Array,
): void {
  const calculations = shownCalculations(text);
  const known = new Set<number>(promptNumbers);
  for (const match of prompt.matchAll(WORD_NUMBER)) {
    const value = WORD_NUMBERS[match[0].toLowerCase().replace(/s$/, '')];
    if (value !== undefined) known.add(value);
  }
  for (const value of promptNumbers) known.add(value / 100);
  let checked = 0;
  let wrong = 0;
  let annotated = 0;
  let mismatched = 0;
  let operands = 0;
  let ungrounded = 0;
  const results: number[] = [];
  for (const calculation of calculations) {
    const holds = calculationHolds(calculation);
    if (holds !== undefined) {
      checked++;
      if (!holds) wrong++;
    }
    if (calculation.written !== undefined) {
      annotated++;
      if (Math.abs(calculation.written - calculation.claimed) > 1e-6) mismatched++;
    }
    for (const operand of calculation.operands) {
      operands++;
      if (!known.has(operand) && !COMMON_CONSTANTS.has(operand)) ungrounded++;
    }
    known.add(calculation.claimed);
    results.push(calculation.claimed);
  }
  const used = new Set(calculations.flatMap((calculation) => calculation.operands));
  const lastIndex = new Map(results.map((result, index) => [result, index]));
  const dangling = results.filter(
    (result, index) =>
      index < results.length - 1 && result !== final && !used.has(result) && lastIndex.get(result) === index,
  ).length;
  features[26] = Math.log1p(calculations.length) / 3;
  features[27] = checked > 0 ? wrong / checked : 0;
  features[28] = annotated > 0 ? mismatched / annotated : 0;
  features[29] = operands > 0 ? ungrounded / operands : 0;
  features[30] = results.length > 1 ? dangling / (results.length - 1) : 0;
  features[31] = final !== undefined && results.some((result) => Math.abs(result - final) < 1e-9) ? 1 : 0;
}

/** The question's kind (a count, a comparison, a rate) and whether the answer's final statements agree. */
function questionFeatures(
  prompt: string,
  text: string,
  final: number | undefined,
  features: Float64Array,
): void {
  const statements = new Set([...text.matchAll(FINAL_STATEMENT)].map((match) => toNumber(match[1]!)));
  features[32] = statements.size > 1 ? 1 : 0;
  const finalLine = text.match(/####\s*([^\n]*)/)?.[1] ?? '';
  features[33] = /[a-z]{2,}/i.test(finalLine) ? 1 : 0;
  const question =
    prompt
      .split(/(?<=[.!?])\s+/)
      .filter((sentence) => sentence.includes('?'))
      .at(-1) ?? prompt;
  features[34] = /\bhow many\b/i.test(question) && final !== undefined && !Number.isInteger(final) ? 1 : 0;
  features[35] =
    /\b(?:more|less|fewer|difference|left|remain|change|profit|older|younger|longer|save|lose)\b/i.test(
      question,
    )
      ? 1
      : 0;
  features[36] = /\b(?:per|each|average|rate|percent|%)/i.test(question) ? 1 : 0;
  features[37] = Math.log1p(countMatches(WORD_NUMBER, prompt)) / 3;
}

/** The number the answer ends on: after a final-answer marker when there is one, else the last number. */
export function finalAnswer(answer: string): number | undefined {
  const marker = answer.match(/(?:####|answer is|\\boxed\{)\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)/i);
  if (marker) return toNumber(marker[1]!);
  const numbers = numbersIn(answer);
  return numbers.at(-1);
}

/**
 * A training-free score in [0, 1] from the same cues: an answer with a final number, consistent
 * arithmetic and no hedging, refusal or truncation scores high. The "heuristics" cascade scorer.
 */
export function heuristicAnswerScore(prompt: string, answer: string): number {
  const features = answerFeatures(prompt, answer);
  if (features[2] === 1 || features[14] === 1) return 0;
  let score = 0.9;
  if (features[3] === 0 && features[4] === 0) score -= 0.3;
  if (features[16] === 1) score -= 0.3;
  score -= 0.5 * features[10]!;
  score -= 0.15 * features[12]!;
  score -= 0.15 * features[13]!;
  if (features[15] === 1) score -= 0.1;
  if (features[5] === 0) score -= 0.1;
  return Math.max(0, Math.min(1, score));
}

function numbersIn(text: string): number[] {
  return [...text.matchAll(NUMBER)].map((match) => toNumber(match[0])).filter(Number.isFinite);
}

function toNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function applyOperator(left: number, operator: string, right: number): number | undefined {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
    case 'x':
    case '×':
      return left * right;
    case '/':
    case '÷':
      return right === 0 ? undefined : left / right;
    default:
      return undefined;
  }
}

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}
