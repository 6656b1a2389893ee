/**
 * Okapi BM25 over a small collection (the units of one prompt), for ranking by relevance to a
 * question. Terms are lowercased words with English stop words removed and a light plural fold.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in ' +
    'into is it its me my no not of on or our she so than that the their them then there these they this ' +
    'to was we were what when where which who whom whose why will with would you your'
  ).split(' '),
);

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu)) {
    const word = match[0];
    if (STOP_WORDS.has(word)) continue;
    out.push(word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word);
  }
  return out;
}

export type Bm25Options = { k1?: number; b?: number };

/** BM25 score of each document against the query terms. */
export function bm25Scores(documents: string[][], query: string[], options: Bm25Options = {}): number[] {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const queryTerms = Array.from(new Set(query));
  if (documents.length === 0 || queryTerms.length === 0) return documents.map(() => 0);
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / documents.length || 1;
  const documentFrequency = new Map<string, number>();
  const frequencies = documents.map((document) => {
    const counts = new Map<string, number>();
    for (const term of document) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    return counts;
  });
  const total = documents.length;
  return frequencies.map((counts, index) => {
    const length = documents[index]!.length;
    let score = 0;
    for (const term of queryTerms) {
      const frequency = counts.get(term);
      if (!frequency) continue;
      const df = documentFrequency.get(term) ?? 0;
      const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
      score += (idf * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / averageLength));
    }
    return score;
  });
}
