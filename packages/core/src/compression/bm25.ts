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

/** BM25 score of each document against the query terms. Only query terms are counted. */
export function bm25Scores(documents: string[][], query: string[], options: Bm25Options = {}): number[] {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  const queryIndex = new Map<string, number>();
  for (const term of query) if (!queryIndex.has(term)) queryIndex.set(term, queryIndex.size);
  if (documents.length === 0 || queryIndex.size === 0) return documents.map(() => 0);
  let totalLength = 0;
  const documentFrequency = new Array<number>(queryIndex.size).fill(0);
  const frequencies = documents.map((document) => {
    totalLength += document.length;
    const counts = new Array<number>(queryIndex.size).fill(0);
    for (const term of document) {
      const index = queryIndex.get(term);
      if (index !== undefined) counts[index]! += 1;
    }
    counts.forEach((count, index) => {
      if (count > 0) documentFrequency[index]! += 1;
    });
    return counts;
  });
  const averageLength = totalLength / documents.length || 1;
  const total = documents.length;
  const idf = documentFrequency.map((df) => Math.log(1 + (total - df + 0.5) / (df + 0.5)));
  return frequencies.map((counts, index) => {
    const length = documents[index]!.length;
    let score = 0;
    counts.forEach((frequency, term) => {
      if (frequency === 0) return;
      score +=
        (idf[term]! * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / averageLength));
    });
    return score;
  });
}
