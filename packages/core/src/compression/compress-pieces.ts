/**
 * The pipeline shared by `compressText` and `compressRequest`: the compressible texts of one
 * prompt are split into units and segments, ranked together against the question, and cut to
 * one budget — coarse first (whole documents, demonstrations, blocks), then sentences.
 */

import { answerTypeOf, holdsAnswerType } from './answer-type';
import type { CompressionMethod, CompressionOptions } from './compression-options';
import { joinUnits } from './join-units';
import { findRepeats, normalizeUnits } from './lossless';
import { findLayout } from './prompt-layout';
import { DEFAULT_KEEP_PATTERNS, findIdentifiers, findNumbers } from './protected-patterns';
import { scoreUnitsAndSegments } from './relevance';
import { type Segment, segmentUnits } from './segments';
import { type SplitText, splitTextUnits, type TextUnit } from './text-units';
import type { TokenCounter } from './token-count';

export type PiecesInput = {
  texts: string[];
  /**
   * Token budget for all pieces together, or a function of the pieces' own tokens that gives it
   * (so the caller need not count them twice); undefined runs the lossless pass only.
   */
  budget: number | ((piecesTokens: number) => number) | undefined;
  options: CompressionOptions;
  countTokens: TokenCounter;
  /**
   * Per text: false when selection may drop all of it (the message keeps other text, such as
   * its question). Default true: a message emptied by selection would be rejected by providers.
   */
  keepOne?: readonly boolean[];
};

/** Why the output is above the budget, when it is. */
export type BudgetShortfall = 'protected-content' | 'whole-units' | 'message-floor';

export type PiecesOutput = {
  texts: string[];
  methods: CompressionMethod[];
  /** Tokens of the input pieces (sum of their units' counts). */
  piecesTokens: number;
  shortfall?: BudgetShortfall;
};

type Candidate = {
  piece: number;
  unit: TextUnit;
  tokens: number;
  protected: boolean;
  repeated: boolean;
  segment: number;
  /** Position in the prompt, for ties. */
  order: number;
  score: number;
  kept: boolean;
};

type GlobalSegment = Segment & { candidates: Candidate[]; score: number; tokens: number };

const PROTECTED_KINDS = new Set<TextUnit['kind']>([
  'code',
  'json',
  'table',
  'heading',
  'json-open',
  'json-close',
]);

// Weights of the fine step, tuned on NaturalQuestions rows 1000-1299 with near-miss distractors
// (the benchmark's headline uses rows 0-499): a sentence gains from following one that matches
// the question, and from holding the kind of answer the question asks for.
const NEIGHBOUR_WEIGHT = 0.3;
const ANSWER_TYPE_WEIGHT = 0.2;

function answerTypeBoost(question: string): (text: string) => number {
  const type = answerTypeOf(question);
  if (!type) return () => 0;
  const words = new Set(question.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return (text) => ANSWER_TYPE_WEIGHT * holdsAnswerType(type, text, words);
}

/** Share of the budget the coarse step may spend on whole segments before sentences compete. */
const COARSE_BUDGET = 2;
/** How much a unit's segment rank adds to its own score in the fine step. */
const SEGMENT_WEIGHT = 0.5;

export async function compressPieces(input: PiecesInput): Promise<PiecesOutput> {
  const { options, countTokens } = input;
  const methods = resolveMethods(options, input.budget);
  const select = methods.includes('select') && input.budget !== undefined;
  const { splits, byPiece, segments } = buildCandidates(input, methods.includes('lossless'), select);
  let piecesTokens = 0;
  for (const own of byPiece) for (const candidate of own) piecesTokens += candidate.tokens;
  const budget = typeof input.budget === 'function' ? input.budget(piecesTokens) : (input.budget ?? 0);

  let shortfall: BudgetShortfall | undefined;
  if (select) {
    const live = byPiece.flat().filter((candidate) => !candidate.repeated);
    const relevance = await scoreUnitsAndSegments(
      live.map((candidate) => candidate.unit),
      live.map((candidate) => candidate.segment),
      segments.length,
      options.question ?? '',
      options,
    );
    const boost = answerTypeBoost(options.question ?? '');
    let previous: Candidate | undefined;
    live.forEach((candidate, index) => {
      candidate.score = relevance.units[index]! + boost(candidate.unit.text);
      // The sentence after one that matches the question often holds the answer.
      const follows = previous !== undefined && previous.segment === candidate.segment;
      candidate.score += follows ? NEIGHBOUR_WEIGHT * relevance.units[index - 1]! : 0;
      previous = candidate;
    });
    segments.forEach((segment, index) => {
      segment.score = relevance.segments[index]!;
    });
    shortfall = selectWithinBudget(segments, budget);
  }
  if (keepOneUnitPerPiece(byPiece, segments, input.keepOne) && select) shortfall ??= 'message-floor';

  let outputTexts = byPiece.map((own, piece) => joinPiece(own, splits[piece]!));
  if (select) {
    const enforced = enforceBudget(splits, byPiece, segments, budget, countTokens, outputTexts);
    outputTexts = enforced.texts;
    if (enforced.over) shortfall ??= 'whole-units';
  }
  if (methods.includes('prune') && options.pruner) {
    outputTexts = await pruneKept(splits, byPiece, options);
  }
  return { texts: outputTexts, methods, piecesTokens, ...(shortfall ? { shortfall } : {}) };
}

/**
 * Splits every text on its original bytes (so layout and protections see what the user wrote),
 * then applies the lossless pass to each unit.
 */
function buildCandidates(input: PiecesInput, lossless: boolean, select: boolean) {
  const { options, countTokens } = input;
  const splitOptions = { jsonEntries: options.json === 'select-entries' };
  const keepPatterns = options.keepPatterns ?? DEFAULT_KEEP_PATTERNS;
  const questionAtoms = Array.from(
    new Set(
      [...findIdentifiers(options.question ?? ''), ...findNumbers(options.question ?? '')].filter(
        (atom) => atom.length >= 3,
      ),
    ),
  );
  const segments: GlobalSegment[] = [];
  const byPiece: Candidate[][] = [];
  const splits: SplitText[] = [];
  let order = 0;
  for (const text of input.texts) {
    const original = splitTextUnits(text, splitOptions);
    const split = lossless ? normalizeUnits(original) : original;
    splits.push(split);
    const local = segmentUnits(original.units, findLayout(text));
    const offset = segments.length;
    for (const segment of local.segments) segments.push({ ...segment, candidates: [], score: 0, tokens: 0 });
    const piece = byPiece.length;
    const own = split.units.map((unit, index): Candidate => {
      const segment = segments[offset + local.segmentOf[index]!]!;
      const isProtected = protects(original.units[index]!, segment, keepPatterns, questionAtoms);
      const candidate: Candidate = {
        piece,
        unit,
        tokens: countTokens(unit.text) + (unit.separatorBefore.includes('\n') ? 1 : 0),
        protected: isProtected,
        repeated: false,
        segment: offset + local.segmentOf[index]!,
        order: order++,
        score: 0,
        kept: true,
      };
      segment.candidates.push(candidate);
      segment.tokens += candidate.tokens;
      return candidate;
    });
    byPiece.push(own);
  }
  // A whole segment with a protected unit is protected as a whole.
  for (const segment of segments) {
    if (segment.whole && segment.candidates.some((candidate) => candidate.protected)) {
      for (const candidate of segment.candidates) candidate.protected = true;
    }
  }
  // Dropping a repeated passage changes what the model reads: selection's job, not lossless'.
  if (select) markRepeats(splits, byPiece, segments);
  return { splits, byPiece, segments };
}

function protects(
  original: TextUnit,
  segment: Segment,
  keepPatterns: readonly RegExp[],
  questionAtoms: readonly string[],
): boolean {
  // A demonstration is kept or dropped whole: its answer line (`#### 42`) and code go with it,
  // and a number the question shares with an example is no reason to keep it.
  if (segment.kind === 'demonstration') return false;
  // Code, JSON values, tables and headings are kept byte for byte (JSON minified): when they
  // alone are over the target, the result says so ('protected-content').
  if (PROTECTED_KINDS.has(original.kind)) return true;
  if (questionAtoms.some((atom) => original.text.includes(atom))) return true;
  if (segment.whole) return false;
  return keepPatterns.some((pattern) => {
    // A user's pattern may carry the g flag, which makes test() stateful.
    pattern.lastIndex = 0;
    return pattern.test(original.text);
  });
}

function markRepeats(splits: SplitText[], byPiece: Candidate[][], segments: GlobalSegment[]): void {
  const repeats = findRepeats(splits);
  byPiece.forEach((own, piece) => {
    own.forEach((candidate, index) => {
      if (!repeats[piece]![index] || candidate.protected || segments[candidate.segment]!.whole) return;
      candidate.repeated = true;
      candidate.kept = false;
    });
  });
}

function resolveMethods(options: CompressionOptions, budget: PiecesInput['budget']): CompressionMethod[] {
  const requested = options.methods ?? [
    'lossless',
    'select',
    ...(options.pruner ? (['prune'] as const) : []),
  ];
  return requested.filter((method) => {
    if (method === 'select') return budget !== undefined;
    if (method === 'prune') return options.pruner !== undefined;
    return true;
  });
}

/** One thing selection keeps or drops: a whole segment, or one unit of a divisible segment. */
type Item = { candidates: Candidate[]; tokens: number; score: number; position: number };

/**
 * Protected units first. Then, coarse: segments in order of relevance until twice the budget
 * is covered (a whole segment only if it fits). Fine: inside those, whole segments and single
 * units by relevance (a unit's own score plus its segment's) while they fit. What budget is
 * left goes to the best units of the other segments.
 */
function selectWithinBudget(segments: GlobalSegment[], budget: number): BudgetShortfall | undefined {
  let remaining = budget;
  for (const segment of segments) {
    for (const candidate of segment.candidates) {
      candidate.kept = candidate.protected;
      if (candidate.protected) remaining -= candidate.tokens;
    }
  }
  if (remaining < 0) return 'protected-content';
  const ranked = segments
    .map((segment, index) => ({ segment, index }))
    .filter(({ segment }) => segment.candidates.some((candidate) => isOpen(candidate)))
    .sort((left, right) => right.segment.score - left.segment.score || left.index - right.index);
  const coarse: Item[] = [];
  const rest: Item[] = [];
  let coarseLeft = remaining * COARSE_BUDGET;
  for (const { segment } of ranked) {
    const items = itemsOf(segment);
    const tokens = items.reduce((sum, item) => sum + item.tokens, 0);
    const fits = tokens <= coarseLeft;
    if (coarseLeft > 0 && (fits || !segment.whole)) {
      coarse.push(...items);
      coarseLeft -= tokens;
    } else rest.push(...items);
  }
  remaining = fill(coarse, remaining);
  remaining = fill(rest, remaining);
  return undefined;
}

function isOpen(candidate: Candidate): boolean {
  return !candidate.protected && !candidate.repeated;
}

function itemsOf(segment: GlobalSegment): Item[] {
  const open = segment.candidates.filter(isOpen);
  if (segment.whole) {
    return [
      {
        candidates: open,
        tokens: open.reduce((sum, candidate) => sum + candidate.tokens, 0),
        score: segment.score * (1 + SEGMENT_WEIGHT),
        position: open[0]!.order,
      },
    ];
  }
  return open.map((candidate) => ({
    candidates: [candidate],
    tokens: candidate.tokens,
    score: candidate.score + SEGMENT_WEIGHT * segment.score,
    position: candidate.order,
  }));
}

function fill(items: Item[], budget: number): number {
  let remaining = budget;
  items.sort((left, right) => right.score - left.score || left.position - right.position);
  for (const item of items) {
    if (item.tokens > remaining) continue;
    for (const candidate of item.candidates) candidate.kept = true;
    remaining -= item.tokens;
  }
  return remaining;
}

/**
 * A message emptied by selection would be rejected by providers: keep its best unit (its whole
 * segment when that is a demonstration, which is never cut).
 */
function keepOneUnitPerPiece(
  byPiece: Candidate[][],
  segments: GlobalSegment[],
  keepOne: readonly boolean[] | undefined,
): boolean {
  let added = false;
  byPiece.forEach((own, piece) => {
    if (keepOne?.[piece] === false) return;
    if (own.length === 0 || own.some((candidate) => candidate.kept)) return;
    const best = own.reduce((left, right) => (right.score > left.score ? right : left));
    const segment = segments[best.segment]!;
    for (const candidate of segment.whole ? segment.candidates : [best]) candidate.kept = true;
    added = true;
  });
  return added;
}

/**
 * Token estimates per unit can be off by a few at the joins: drop the weakest kept units until
 * the count fits. Each round drops enough estimated tokens to cover the excess and recounts only
 * the pieces that changed, so a long prompt takes a few rounds, not one per unit.
 */
function enforceBudget(
  splits: SplitText[],
  byPiece: Candidate[][],
  segments: GlobalSegment[],
  budget: number,
  countTokens: TokenCounter,
  texts: string[],
): { texts: string[]; over: boolean } {
  const current = [...texts];
  const counts = current.map((text) => countTokens(text));
  let total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= budget) return { texts: current, over: false };
  // What can go: single units, and whole segments (a demonstration) as one.
  const droppable: Candidate[][] = [];
  const seen = new Set<number>();
  for (const candidate of byPiece.flat()) {
    if (!candidate.kept || candidate.protected) continue;
    const segment = segments[candidate.segment]!;
    if (!segment.whole) droppable.push([candidate]);
    else if (!seen.has(candidate.segment)) {
      seen.add(candidate.segment);
      droppable.push(segment.candidates.filter((member) => member.kept));
    }
  }
  droppable.sort((left, right) => left[0]!.score - right[0]!.score || right[0]!.order - left[0]!.order);
  const keptPerPiece = byPiece.map((own) => own.filter((candidate) => candidate.kept).length);
  let next = 0;
  while (total > budget && next < droppable.length) {
    let excess = total - budget;
    const changed = new Set<number>();
    for (; next < droppable.length && excess > 0; next += 1) {
      const group = droppable[next]!;
      const piece = group[0]!.piece;
      if (keptPerPiece[piece]! <= group.length) continue;
      for (const candidate of group) {
        candidate.kept = false;
        excess -= candidate.tokens;
      }
      keptPerPiece[piece]! -= group.length;
      changed.add(piece);
    }
    for (const piece of changed) {
      current[piece] = joinPiece(byPiece[piece]!, splits[piece]!);
      const count = countTokens(current[piece]!);
      total += count - counts[piece]!;
      counts[piece] = count;
    }
  }
  return { texts: current, over: total > budget };
}

function joinPiece(own: Candidate[], split: SplitText): string {
  return joinUnits(
    own.map((candidate) => candidate.unit),
    own.map((candidate) => candidate.kept),
    split.trailing,
  );
}

async function pruneKept(
  splits: SplitText[],
  byPiece: Candidate[][],
  options: CompressionOptions,
): Promise<string[]> {
  const prunable = byPiece
    .flat()
    .filter((candidate) => candidate.kept && !candidate.protected && candidate.unit.kind === 'sentence');
  const pruned = await options.pruner!.prune(
    prunable.map((candidate) => candidate.unit.text),
    { rate: options.pruneRate ?? 0.7 },
  );
  prunable.forEach((candidate, index) => {
    const text = pruned[index];
    if (text !== undefined && text.trim().length > 0) candidate.unit = { ...candidate.unit, text };
  });
  return byPiece.map((own, piece) => joinPiece(own, splits[piece]!));
}
