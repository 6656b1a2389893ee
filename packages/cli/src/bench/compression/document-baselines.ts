/**
 * Whole-document baselines for the compression benchmark: keep whole documents, in their
 * original order, chosen by position (truncation), by BM25 against the question, or by a
 * LongLLMLingua-style coarse ranking — the likelihood of the question given each document. With
 * no language model here, that likelihood comes from a unigram model of the document smoothed by
 * the prompt's documents (Dirichlet smoothing), the classic query-likelihood ranking; like
 * LongLLMLingua's coarse stage, no tokens are pruned inside kept documents.
 */
import { bm25Scores, bm25Terms } from '@tokenomics/core';

export type DocumentBaseline = 'truncate' | 'bm25-topk' | 'coarse-ql';

/** Indexes of the documents to keep, in their original order, within the token budget. */
export function keepDocuments(
  documents: readonly string[],
  question: string,
  method: DocumentBaseline,
  budget: number,
  tokensOf: (document: string) => number,
): number[] {
  const order = rankDocuments(documents, question, method);
  const kept: number[] = [];
  let used = 0;
  for (const index of order) {
    const cost = tokensOf(documents[index]!) + 1;
    if (used + cost > budget) {
      // Truncation stops at the first document that does not fit; rankings try the next one.
      if (method === 'truncate') break;
      continue;
    }
    kept.push(index);
    used += cost;
  }
  return kept.sort((left, right) => left - right);
}

function rankDocuments(documents: readonly string[], question: string, method: DocumentBaseline): number[] {
  const positions = documents.map((_, index) => index);
  if (method === 'truncate') return positions;
  const documentTerms = documents.map((document) => bm25Terms(document));
  const questionTerms = bm25Terms(question);
  const scores =
    method === 'bm25-topk'
      ? bm25Scores(documentTerms, questionTerms)
      : queryLikelihood(documentTerms, questionTerms);
  return positions.sort((left, right) => scores[right]! - scores[left]! || left - right);
}

/** log P(question | document) under a Dirichlet-smoothed unigram model (μ = mean length). */
function queryLikelihood(documents: string[][], question: string[]): number[] {
  const collection = new Map<string, number>();
  let total = 0;
  for (const document of documents) {
    for (const term of document) collection.set(term, (collection.get(term) ?? 0) + 1);
    total += document.length;
  }
  const mu = total / Math.max(1, documents.length);
  return documents.map((document) => {
    const counts = new Map<string, number>();
    for (const term of document) counts.set(term, (counts.get(term) ?? 0) + 1);
    let score = 0;
    for (const term of question) {
      // Terms absent from every document add the same amount to all: skip them.
      const background = (collection.get(term) ?? 0) / Math.max(1, total);
      if (background === 0) continue;
      score += Math.log(((counts.get(term) ?? 0) + mu * background) / (document.length + mu));
    }
    return score;
  });
}
