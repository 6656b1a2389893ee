/**
 * The pipeline shared by `compressText` and `compressRequest`: the compressible texts of one
 * prompt are split into units, ranked together against the question, and cut to one budget.
 */
import type { CompressionMethod, CompressionOptions } from './compression-options';
import { joinUnits } from './join-units';
import { findRepeats, normalizeUnits, removeInvisibleMarkup } from './lossless';
import { DEFAULT_KEEP_PATTERNS, findIdentifiers, findNumbers } from './protected-patterns';
import { scoreUnits } from './relevance';
import { splitTextUnits, type TextUnit } from './text-units';
import type { TokenCounter } from './token-count';

export type PiecesInput = {
  texts: string[];
  /** Token budget for all pieces together; undefined runs the lossless passes only. */
  budget: number | undefined;
  options: CompressionOptions;
  countTokens: TokenCounter;
};

export type PiecesOutput = { texts: string[]; methods: CompressionMethod[] };

type Candidate = {
  piece: number;
  unit: TextUnit;
  tokens: number;
  protected: boolean;
  repeated: boolean;
  score: number;
  kept: boolean;
};

export async function compressPieces(input: PiecesInput): Promise<PiecesOutput> {
  const { options, countTokens } = input;
  const methods = resolveMethods(options, input.budget);
  const lossless = methods.includes('lossless');
  const splitOptions = { jsonEntries: options.json === 'select-entries' };
  const texts = input.texts;
  const splits = texts.map((text) =>
    lossless
      ? normalizeUnits(splitTextUnits(removeInvisibleMarkup(text), splitOptions))
      : splitTextUnits(text, splitOptions),
  );
  const keepPatterns = options.keepPatterns ?? DEFAULT_KEEP_PATTERNS;
  const questionAtoms = new Set(
    [...findIdentifiers(options.question ?? ''), ...findNumbers(options.question ?? '')].filter(
      (atom) => atom.length >= 3,
    ),
  );
  const candidates: Candidate[] = [];
  const repeats = lossless ? findRepeats(splits) : splits.map((split) => split.units.map(() => false));
  let passageOffset = 0;
  splits.forEach((split, piece) => {
    const repeated = repeats[piece]!;
    let lastPassage = 0;
    split.units.forEach((unit, index) => {
      const isProtected =
        (unit.kind !== 'sentence' && unit.kind !== 'json-entry') ||
        keepPatterns.some((pattern) => {
          // A user's pattern may carry the g flag, which makes test() stateful.
          pattern.lastIndex = 0;
          return pattern.test(unit.text);
        }) ||
        Array.from(questionAtoms).some((atom) => unit.text.includes(atom));
      lastPassage = unit.passage;
      candidates.push({
        piece,
        unit: { ...unit, passage: unit.passage + passageOffset },
        tokens: countTokens(unit.text) + (unit.separatorBefore.includes('\n') ? 1 : 0),
        protected: isProtected,
        repeated: repeated[index]! && !isProtected,
        score: 0,
        kept: !repeated[index] || isProtected,
      });
    });
    passageOffset += lastPassage + 1;
  });

  if (methods.includes('select') && input.budget !== undefined) {
    const live = candidates.filter((candidate) => !candidate.repeated);
    const scores = await scoreUnits(
      live.map((candidate) => candidate.unit),
      options.question ?? '',
      options,
    );
    live.forEach((candidate, index) => {
      candidate.score = scores[index]!;
    });
    selectWithinBudget(live, input.budget);
  }
  keepOneUnitPerPiece(candidates, texts.length);

  let outputTexts = joinAll(splits, candidates, texts.length);
  if (methods.includes('select') && input.budget !== undefined) {
    outputTexts = enforceBudget(splits, candidates, texts.length, input.budget, countTokens, outputTexts);
  }
  if (methods.includes('prune') && options.pruner) {
    outputTexts = await pruneKept(splits, candidates, texts.length, options);
  }
  return { texts: outputTexts, methods };
}

function resolveMethods(options: CompressionOptions, budget: number | undefined): CompressionMethod[] {
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

/** Protected units first, then the best-scored ones that still fit; ties go to the earlier unit. */
function selectWithinBudget(candidates: Candidate[], budget: number): void {
  let remaining = budget;
  for (const candidate of candidates) {
    candidate.kept = candidate.protected;
    if (candidate.protected) remaining -= candidate.tokens;
  }
  const order = candidates
    .map((candidate, index) => ({ candidate, index }))
    .filter(({ candidate }) => !candidate.protected)
    .sort((left, right) => right.candidate.score - left.candidate.score || left.index - right.index);
  for (const { candidate } of order) {
    if (candidate.tokens <= remaining) {
      candidate.kept = true;
      remaining -= candidate.tokens;
    }
  }
}

/** A message emptied by selection would be rejected by providers: keep its best unit. */
function keepOneUnitPerPiece(candidates: Candidate[], pieces: number): void {
  for (let piece = 0; piece < pieces; piece += 1) {
    const own = candidates.filter((candidate) => candidate.piece === piece);
    if (own.length === 0 || own.some((candidate) => candidate.kept)) continue;
    const best = own.reduce((left, right) => (right.score > left.score ? right : left));
    best.kept = true;
  }
}

/** Token estimates per unit can be off by a few; drop the weakest kept units until the count fits. */
function enforceBudget(
  splits: ReturnType<typeof splitTextUnits>[],
  candidates: Candidate[],
  pieces: number,
  budget: number,
  countTokens: TokenCounter,
  texts: string[],
): string[] {
  let current = texts;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const total = current.reduce((sum, text) => sum + countTokens(text), 0);
    if (total <= budget) return current;
    const droppable = candidates
      .filter((candidate) => candidate.kept && !candidate.protected)
      .filter((candidate) =>
        candidates.some((other) => other !== candidate && other.kept && other.piece === candidate.piece),
      );
    if (droppable.length === 0) return current;
    const weakest = droppable.reduce((left, right) => (right.score < left.score ? right : left));
    weakest.kept = false;
    current = joinAll(splits, candidates, pieces);
  }
  return current;
}

function joinAll(
  splits: ReturnType<typeof splitTextUnits>[],
  candidates: Candidate[],
  pieces: number,
): string[] {
  const out: string[] = [];
  for (let piece = 0; piece < pieces; piece += 1) {
    const own = candidates.filter((candidate) => candidate.piece === piece);
    out.push(
      joinUnits(
        own.map((candidate) => candidate.unit),
        own.map((candidate) => candidate.kept),
        splits[piece]!.trailing,
      ),
    );
  }
  return out;
}

async function pruneKept(
  splits: ReturnType<typeof splitTextUnits>[],
  candidates: Candidate[],
  pieces: number,
  options: CompressionOptions,
): Promise<string[]> {
  const prunable = candidates.filter((candidate) => candidate.kept && !candidate.protected);
  const pruned = await options.pruner!.prune(
    prunable.map((candidate) => candidate.unit.text),
    { rate: options.pruneRate ?? 0.7 },
  );
  prunable.forEach((candidate, index) => {
    const text = pruned[index];
    if (text !== undefined && text.trim().length > 0) candidate.unit = { ...candidate.unit, text };
  });
  return joinAll(splits, candidates, pieces);
}
