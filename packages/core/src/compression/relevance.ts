/**
 * Relevance of each unit to the question: BM25 on the sentence and on its passage, plus
 * embedding similarity when an embedder is configured, each scaled to [0, 1] and combined.
 * A sentence inherits part of its passage's score so that the answer sentence of the right
 * document beats a sentence that shares one rare word with the question by chance.
 */
import type { Embedder } from '../embedder/embedder';
import { bm25Scores, terms } from './bm25';
import type { TextUnit } from './text-units';

const SENTENCE_WEIGHT = 0.6;
const PASSAGE_WEIGHT = 1 - SENTENCE_WEIGHT;

type RelevanceOptions = { embedder?: Embedder; weights?: { bm25?: number; embedding?: number } };

export type Relevance = { units: number[]; segments: number[] };

/**
 * Scores units and the segments (documents, demonstrations, paragraphs) they belong to: a
 * segment is ranked by BM25 over its own words (and its embedding, with an embedder), the coarse
 * step of selection.
 */
export async function scoreUnitsAndSegments(
  units: TextUnit[],
  segmentOf: readonly number[],
  segmentCount: number,
  question: string,
  options: RelevanceOptions,
): Promise<Relevance> {
  const unitTerms = units.map((unit) => terms(unit.text));
  const segmentTerms: string[][] = Array.from({ length: segmentCount }, () => []);
  units.forEach((_, index) => {
    const list = segmentTerms[segmentOf[index]!]!;
    for (const term of unitTerms[index]!) list.push(term);
  });
  const queryTerms = terms(question);
  const unitLexical = await scoreUnits(units, question, {}, unitTerms);
  const segmentLexical =
    queryTerms.length === 0
      ? informationScores(segmentTerms)
      : scaleToUnit(bm25Scores(segmentTerms, queryTerms));
  if (!options.embedder || queryTerms.length === 0 || units.length === 0) {
    return { units: unitLexical, segments: segmentLexical };
  }
  // One embedding call for the question, the units and the segments.
  const segmentTexts: string[] = Array.from({ length: segmentCount }, () => '');
  units.forEach((unit, index) => {
    segmentTexts[segmentOf[index]!] += `${unit.text} `;
  });
  const vectors = await options.embedder.embed([
    question,
    ...units.map((unit) => unit.text),
    ...segmentTexts,
  ]);
  const similarity = (offset: number, count: number) =>
    scaleToUnit(Array.from({ length: count }, (_, index) => dot(vectors[0]!, vectors[offset + index]!)));
  const bm25Weight = options.weights?.bm25 ?? 1;
  const embeddingWeight = options.weights?.embedding ?? 1;
  const combine = (lexical: number[], semantic: number[]) =>
    lexical.map(
      (score, index) =>
        (bm25Weight * score + embeddingWeight * semantic[index]!) / (bm25Weight + embeddingWeight),
    );
  return {
    units: combine(unitLexical, similarity(1, units.length)),
    segments: combine(segmentLexical, similarity(1 + units.length, segmentCount)),
  };
}

export async function scoreUnits(
  units: TextUnit[],
  question: string,
  options: RelevanceOptions,
  precomputedTerms?: string[][],
): Promise<number[]> {
  if (units.length === 0) return [];
  const unitTerms = precomputedTerms ?? units.map((unit) => terms(unit.text));
  const passageIds = Array.from(new Set(units.map((unit) => unit.passage)));
  const passageIndex = new Map(passageIds.map((id, index) => [id, index]));
  const passageTerms: string[][] = passageIds.map(() => []);
  units.forEach((unit, index) => {
    passageTerms[passageIndex.get(unit.passage)!]!.push(...unitTerms[index]!);
  });

  const queryTerms = terms(question);
  if (queryTerms.length === 0) return informationScores(unitTerms);

  const sentenceScores = scaleToUnit(bm25Scores(unitTerms, queryTerms));
  const passageScores = scaleToUnit(bm25Scores(passageTerms, queryTerms));
  const lexical = units.map(
    (unit, index) =>
      SENTENCE_WEIGHT * sentenceScores[index]! +
      PASSAGE_WEIGHT * passageScores[passageIndex.get(unit.passage)!]!,
  );
  if (!options.embedder) return lexical;

  const bm25Weight = options.weights?.bm25 ?? 1;
  const embeddingWeight = options.weights?.embedding ?? 1;
  const vectors = await options.embedder.embed([question, ...units.map((unit) => unit.text)]);
  const questionVector = vectors[0]!;
  const similarities = scaleToUnit(units.map((_, index) => dot(questionVector, vectors[index + 1]!)));
  return lexical.map(
    (score, index) =>
      (bm25Weight * score + embeddingWeight * similarities[index]!) / (bm25Weight + embeddingWeight),
  );
}

/** Without a question: prefer units dense in words that are rare in this prompt. */
function informationScores(unitTerms: string[][]): number[] {
  const documentFrequency = new Map<string, number>();
  for (const list of unitTerms) {
    for (const term of new Set(list)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const total = unitTerms.length;
  return scaleToUnit(
    unitTerms.map((list) => {
      if (list.length === 0) return 0;
      const idf = list.reduce(
        (sum, term) => sum + Math.log(1 + total / (documentFrequency.get(term) ?? 1)),
        0,
      );
      return idf / list.length;
    }),
  );
}

function scaleToUnit(values: number[]): number[] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  const span = high - low;
  return values.map((value) => (span > 0 ? (value - low) / span : 0));
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}
